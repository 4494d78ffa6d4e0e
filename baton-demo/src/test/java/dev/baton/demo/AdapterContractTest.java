package dev.baton.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.demo.cli.DemoServerRun;
import dev.baton.load.ConnectionMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The contract every server adapter keeps, checked the same way for each: the demo server on Jetty,
 * on Netty (NIO and native epoll) and on gRPC, as real processes upgraded by real SIGHUPs under a
 * closed-loop load that never retries, for each protocol the server speaks (HTTP/1.1 keep-alive and a
 * new connection per request, h2c with many streams a connection, WebSocket sessions that reconnect on
 * close 1001, gRPC calls), all at once: zero failed exchanges, and answers from every generation.
 *
 * <p>Three upgrades, as issue 7 asks: the first hands on the listener generation 1 bound, the others
 * one a generation inherited. The HTTP loads ask for {@code /sleep?ms=2}, so that
 * each request is in flight for a while (held when a drain begins) and the closed loops leave the
 * successors' JVMs some CPU on a 2-core machine; the WebSocket and gRPC loads run flat out.
 *
 * <p>The HTTP/2 and WebSocket clients are the JDK's ({@code java.net.http}), not Baton's; the JDK's
 * {@code HttpClient} sends again, by itself, the streams a GOAWAY declares unprocessed (RFC 9113,
 * section 6.8); the callers never resend a failed request.
 */
@Isolated // runs alone (junit-platform.properties): closed-loop loads flat out across upgrades
class AdapterContractTest {

    private static final int UPGRADES = 3;
    private static final int CLIENTS = 4;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PACED = "/sleep?ms=2"; // see the class comment
    /**
     * The servers' JVMs (every generation: the launcher reads it from the environment the successors
     * inherit) run C1 only and the serial collector: C2's compiler threads and G1's workers would take
     * from the 2 cores the successor's start needs, and the contract does not depend on either.
     */
    private static final Map<String, String> LEAN_JVM =
            Map.of("JDK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData");

    @TempDir
    Path directory;

    /** One server as the demo runs it, by its {@code demo-server} arguments. */
    private record Server(String label, DemoServerKind kind, List<String> arguments) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** One load: a protocol, and for HTTP/1.1 how connections are used. */
    private record Load(DemoProtocol protocol, ConnectionMode mode) {
        @Override
        public String toString() {
            return protocol == DemoProtocol.HTTP1 ? "http1 " + mode.label() : protocol.label();
        }
    }

    /** Each server with every protocol it speaks: all its loads run at once, across the same upgrades. */
    static Stream<Arguments> serversAndProtocols() {
        Server jetty = new Server("jetty", DemoServerKind.JETTY, List.of("--server", "jetty"));
        Server nettyNio = new Server("netty nio", DemoServerKind.NETTY, List.of("--server", "netty"));
        Server nettyEpoll = new Server("netty epoll", DemoServerKind.NETTY,
                List.of("--server", "netty", "--netty-transport", "epoll"));
        Server grpc = new Server("grpc", DemoServerKind.GRPC, List.of("--server", "grpc"));
        List<Load> http = List.of(new Load(DemoProtocol.HTTP1, ConnectionMode.KEEP_ALIVE),
                new Load(DemoProtocol.HTTP1, ConnectionMode.NEW_CONNECTION),
                new Load(DemoProtocol.H2C, ConnectionMode.KEEP_ALIVE),
                new Load(DemoProtocol.WS, ConnectionMode.KEEP_ALIVE));
        return Stream.of(Arguments.of(jetty, http), Arguments.of(nettyNio, http), Arguments.of(nettyEpoll, http),
                Arguments.of(grpc, List.of(new Load(DemoProtocol.GRPC, ConnectionMode.KEEP_ALIVE))));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("serversAndProtocols")
    void server_threeSighupUpgradesUnderLoadsThatNeverRetry_noFailedExchange_everyGenerationAnswers(
            Server server, List<Load> loads) throws Exception {
        List<String> arguments = new ArrayList<>(server.arguments());
        arguments.add("--no-warm-up"); // DemoWarmUpTest shows the warm-up; here it only costs CPU the successors need
        try (DemoServerRun run = DemoServerRun.startWithEnvironment(directory, LEAN_JVM,
                arguments.toArray(String[]::new))) {
            Map<Load, JobLoad> running = new LinkedHashMap<>();
            Map<Load, JobReport> reports = new LinkedHashMap<>();
            try {
                for (Load load : loads) {
                    running.put(load, JobLoads.start(server.kind(), load.protocol(), run.port, CLIENTS, load.mode(),
                            PACED, Duration.ofMinutes(5)));
                }
                awaitAnswersFrom(running, 1);
                for (int upgrade = 1; upgrade <= UPGRADES; upgrade++) {
                    run.upgradeBySighup();
                    awaitAnswersFrom(running, upgrade + 1);
                }
                for (Map.Entry<Load, JobLoad> each : running.entrySet()) {
                    reports.put(each.getKey(), each.getValue().stop());
                }
            } finally {
                running.values().forEach(JobLoad::close);
            }

            reports.forEach((load, report) -> {
                assertThat(report.failures()).as("failed %s%n%sserver log:%n%s", load, report.toTable(),
                        run.logText()).isZero();
                assertThat(report.pids()).as("%s: %s", load, report.toTable()).hasSize(UPGRADES + 1);
                if (report instanceof GrpcJobLoad.Report grpc) {
                    assertThat(grpc.latency().count()).as("every answered call timed: %s", report.toTable())
                            .isEqualTo(grpc.calls() - grpc.failures()).isPositive();
                }
                if (report instanceof LoadTally.Report tally && load.protocol() == DemoProtocol.WS) {
                    assertThat(tally.reconnects()).as("sessions moved on close 1001: %s", report.toTable())
                            .isGreaterThanOrEqualTo(UPGRADES);
                }
            });
        }
    }

    /** Waits until every load has had answers from {@code generations} generations. */
    private static void awaitAnswersFrom(Map<Load, JobLoad> running, int generations) {
        running.forEach((load, clients) -> await("answers from generation " + generations + " for " + load + "; "
                + clients.progressLine()).atMost(WAIT).until(() -> clients.pidsSoFar() >= generations));
    }
}
