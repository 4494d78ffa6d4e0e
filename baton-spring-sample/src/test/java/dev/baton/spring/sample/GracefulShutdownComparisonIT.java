package dev.baton.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.load.ConnectionMode;
import dev.baton.load.FailureKind;
import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same load across the same restart, side by side: plain Spring Boot with its graceful shutdown
 * ({@code server.shutdown=graceful}: SIGTERM, then start the new version once the old one exited) and
 * the starter (SIGHUP). Each restart has a 3-second request in flight, so that Spring's graceful phase
 * lasts while kept-alive clients go on sending. The figures are printed (in the test's output file).
 *
 * <p>A benchmark more than a test of Baton (the starter's side is SpringUpgradeIT's, on every server), so
 * {@code ./test} leaves it out; it runs when the servers to compare are named, as in bench/RESULTS.md:
 * {@code ./mvnw -pl baton-spring-sample -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=GracefulShutdownComparisonIT -Dbaton.comparison.servers=tomcat,jetty,webflux}.
 */
@Timeout(600)
@EnabledIfSystemProperty(named = "baton.comparison.servers", matches = ".+",
        disabledReason = "a benchmark: name the servers to compare with -Dbaton.comparison.servers=tomcat,jetty,webflux")
@Isolated // runs alone (junit-platform.properties): a benchmark: loads across restarts
class GracefulShutdownComparisonIT {

    @TempDir
    Path directory;

    /** The servers compared: {@code -Dbaton.comparison.servers=tomcat,jetty,webflux}. */
    static List<String> servers() {
        return List.of(System.getProperty("baton.comparison.servers").split(","));
    }

    @ParameterizedTest
    @MethodSource("servers")
    void restart_plainGracefulShutdownFailsRequests_batonFailsNone(String server) throws Exception {
        LoadReport[] plain = plainStopThenStart(server);
        LoadReport[] baton = batonUpgrade(server);
        System.out.println("== " + server + ": plain Spring Boot graceful shutdown, stop then start ==\n"
                + "keep-alive:     " + figures(plain[0]) + "\nnew connection: " + figures(plain[1]) + "\n"
                + "== " + server + ": Baton starter, SIGHUP ==\n"
                + "keep-alive:     " + figures(baton[0]) + "\nnew connection: " + figures(baton[1]));
        assertThat(plain[0].failures() + plain[1].failures())
                .as("a stop then start fails requests (nothing accepts in between)").isPositive();
        assertThat(baton[0].failures()).as("%s", baton[0].toTable()).isZero();
        assertThat(baton[1].failures()).as("%s", baton[1].toTable()).isZero();
    }

    private LoadReport[] plainStopThenStart(String server) throws Exception {
        int port = SampleApp.freePort();
        Path log = directory.resolve("plain-" + server + ".log");
        List<Process> started = new ArrayList<>();
        try {
            Process first = startPlain(server, port, log);
            started.add(first);
            awaitAnswer(port, first, log);
            try (Loads loads = loads(port); Http slow = new Http(port)) {
                slow.write("/sleep?ms=3000");
                loads.awaitProgress(); // the load runs on the first version before the stop
                first.destroy(); // SIGTERM: Spring's shutdown hook runs its graceful shutdown
                if (!first.waitFor(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the plain app did not exit after SIGTERM: " + Files.readString(log));
                }
                Process second = startPlain(server, port, log);
                started.add(second);
                awaitAnswer(port, second, log);
                loads.awaitProgress(); // and on the second one
                return loads.stop();
            }
        } finally {
            for (Process process : started) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private LoadReport[] batonUpgrade(String server) throws Exception {
        try (SampleApp app = SampleApp.start(directory.resolve("baton-" + server), server, "")) {
            try (Loads loads = loads(app.port()); Http slow = new Http(app.port())) {
                long old = app.servingPid();
                slow.write("/sleep?ms=3000");
                loads.awaitProgress();
                app.upgradeWithSighup();
                app.awaitExit(old);
                loads.awaitProgress();
                LoadReport[] reports = loads.stop();
                app.recordPids(reports[0]);
                app.recordPids(reports[1]);
                return reports;
            }
        }
    }

    /** A keep-alive load and a new-connection-per-request load, side by side. */
    private record Loads(LoadRun keepAlive, LoadRun fresh) implements AutoCloseable {
        /** Waits until both loads have had answers since now: a restart then falls inside a load that runs. */
        void awaitProgress() {
            long kept = keepAlive.snapshot().successes();
            long renewed = fresh.snapshot().successes();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> keepAlive.snapshot().successes() > kept + 200
                            && fresh.snapshot().successes() > renewed + 50);
        }

        LoadReport[] stop() throws InterruptedException {
            return new LoadReport[] {keepAlive.stop(), fresh.stop()};
        }

        @Override
        public void close() {
            keepAlive.close();
            fresh.close();
        }
    }

    private static Loads loads(int port) {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        return new Loads(LoadGenerator.start(SpringUpgradeIT.load(target, 8, ConnectionMode.KEEP_ALIVE)),
                LoadGenerator.start(SpringUpgradeIT.load(target, 2, ConnectionMode.NEW_CONNECTION)));
    }

    private static String figures(LoadReport report) {
        StringBuilder line = new StringBuilder("ok=" + report.successes() + " failed=" + report.failures());
        for (FailureKind kind : FailureKind.values()) {
            line.append(' ').append(kind.name().toLowerCase(java.util.Locale.ROOT)).append('=')
                    .append(report.failures(kind));
        }
        return line.toString();
    }

    private Process startPlain(String server, int port, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", SampleApp.jar().toString(), "--baton.enabled=false",
                "--server.shutdown=graceful", "--server.address=127.0.0.1", "--server.port=" + port,
                "--spring.main.banner-mode=off"));
        if (!server.equals("tomcat")) {
            command.add("--spring.profiles.active=" + server); // jetty, or webflux (Reactor Netty)
        }
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private static void awaitAnswer(int port, Process process, Path log) {
        // The second start runs while the load spins on refused connections (nothing listens): on 2 busy cores
        // it was seen to take over 90 s.
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the plain app exited: " + Files.readString(log));
                    }
                    return Http.get(port, "/").pid() == process.pid();
                });
    }
}
