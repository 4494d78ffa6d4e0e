package dev.baton.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.BatonControl;
import dev.baton.UpgradeResult;
import dev.baton.load.ConnectionMode;
import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The sample jar, unchanged, as a worker of the Baton supervisor ({@code baton run --ready notify}): it
 * takes its listener from LISTEN_FDS, says ready over NOTIFY_SOCKET, and is replaced on reload.
 */
@Isolated // runs alone (junit-platform.properties): closed-loop loads across reloads
@Timeout(600)
class SupervisedIT {

    @TempDir
    Path directory;

    @Test
    void supervised_threeReloadsUnderLoad_noFailedRequestAndEveryWorkerAnswers() throws Exception {
        int port = SampleApp.freePort();
        Path control = directory.resolve("control");
        Files.createDirectory(control, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String name = "supervised-" + ProcessHandle.current().pid();
        Path log = directory.resolve("supervisor.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.baton.cli.BatonCli", "run", "--name", name, "--listen", "http=127.0.0.1:" + port,
                "--ready", "notify", "--",
                java, "-XX:TieredStopAtLevel=1", "-jar", SampleApp.jar().toString(), "--server.address=127.0.0.1",
                "--server.port=" + port, "--spring.main.banner-mode=off"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("BATON_CONTROL_DIR", control.toString());
        Process supervisor = builder.start();
        Set<ProcessHandle> workers = new HashSet<>();
        BatonControl baton = BatonControl.at(control.resolve(name + ".sock"));
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        assertThat(supervisor.isAlive()).as("the supervisor runs: %s", Files.readString(log)).isTrue();
                        return Http.get(port, "/").status() == 200;
                    });
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            try (LoadRun keepAlive = LoadGenerator.start(SpringUpgradeIT.load(target, 8, ConnectionMode.KEEP_ALIVE));
                    LoadRun fresh = LoadGenerator.start(SpringUpgradeIT.load(target, 2, ConnectionMode.NEW_CONNECTION))) {
                for (int reload = 1; reload <= 3; reload++) { // issue 8: three reloads
                    supervisor.descendants().forEach(workers::add);
                    UpgradeResult result = baton.reload(Duration.ofSeconds(90));
                    assertThat(result.succeeded()).as("reload %d: %s\n%s", reload, result, Files.readString(log)).isTrue();
                }
                long kept0 = keepAlive.snapshot().successes();
                long fresh0 = fresh.snapshot().successes();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)) // the last worker answers
                        .until(() -> keepAlive.snapshot().successes() > kept0 + 200
                                && fresh.snapshot().successes() > fresh0 + 50);
                supervisor.descendants().forEach(workers::add);
                LoadReport kept = keepAlive.stop();
                LoadReport perRequest = fresh.stop();
                assertThat(kept.failures()).as("keep-alive:\n%s", kept.toTable()).isZero();
                assertThat(perRequest.failures()).as("new connection:\n%s", perRequest.toTable()).isZero();
                assertThat(kept.pids()).as("workers that answered").hasSizeGreaterThanOrEqualTo(4);
                assertThat(perRequest.pids()).as("workers that answered").hasSizeGreaterThanOrEqualTo(4);
            }
        } finally {
            try {
                baton.stop(false);
            } catch (IOException e) {
                // not reachable: ended below
            }
            if (!supervisor.waitFor(60, TimeUnit.SECONDS)) {
                supervisor.destroyForcibly();
            }
            supervisor.descendants().forEach(workers::add);
            workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }
}
