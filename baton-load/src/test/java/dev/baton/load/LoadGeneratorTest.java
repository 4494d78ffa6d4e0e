package dev.baton.load;

import static dev.baton.load.RawServer.holdUntilClosed;
import static dev.baton.load.RawServer.readRequest;
import static dev.baton.load.RawServer.respond;
import static dev.baton.load.RawServer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load generator against real servers on 127.0.0.1: counting, connection reuse, and every failure kind. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    private static final Duration END = Duration.ofSeconds(15);
    private static final String DEMO_BODY = "hello from pid=4711 generation=2\n";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private RawServer server(RawServer.Handler handler) throws Exception {
        RawServer server = RawServer.start(handler);
        toClose.add(server);
        return server;
    }

    private LoadRun start(LoadOptions options) {
        LoadRun run = LoadGenerator.start(options);
        toClose.add(run);
        return run;
    }

    /** Options bounded by a request count, with a duration long enough never to be the bound. */
    private static LoadOptions requests(InetSocketAddress target, int connections, long requests) {
        return LoadOptions.of(target).withConnections(connections).withMaxRequests(requests)
                .withDuration(Duration.ofSeconds(20));
    }

    private LoadReport runToEnd(LoadOptions options) throws Exception {
        return start(options).awaitEnd(END);
    }

    @Test
    void keepAlive_healthyServer_noFailuresAndOneConnectionPerWorker() throws Exception {
        RawServer server = server(RawServer.ok(DEMO_BODY));

        LoadReport report = runToEnd(LoadOptions.of(server.address()).withConnections(4)
                .withDuration(Duration.ofMillis(500)));

        assertThat(report.failures()).isZero();
        assertThat(report.successes()).isPositive().isEqualTo(report.requests());
        assertThat(report.abandonedAtStop()).isZero();
        assertThat(report.stopped()).isFalse();
        assertThat(server.accepted()).isEqualTo(4);
        assertThat(report.connectionsOpened()).isEqualTo(4);
        assertThat(report.pids()).isEqualTo(Map.of(4711L, report.successes()));
        assertThat(report.generations()).isEqualTo(Map.of(2L, report.successes()));
        assertThat(report.latency().count()).isEqualTo(report.successes());
        assertThat(report.latency().max()).isGreaterThanOrEqualTo(report.latency().p99())
                .isLessThan(Duration.ofSeconds(5));
        assertThat(report.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(server.errors()).isEmpty();
    }

    @Test
    void newConnectionMode_healthyServer_opensOneConnectionPerRequest() throws Exception {
        RawServer server = server(RawServer.ok(DEMO_BODY));

        LoadReport report = runToEnd(requests(server.address(), 2, 50).withMode(ConnectionMode.NEW_CONNECTION));

        assertThat(report.failures()).isZero();
        assertThat(report.successes()).isEqualTo(50);
        assertThat(report.connectionsOpened()).isEqualTo(50);
        assertThat(server.accepted()).isEqualTo(50);
        assertThat(report.pids()).containsExactly(Map.entry(4711L, 50L));
    }

    @Test
    void keepAlive_responseSaysConnectionClose_reconnectsWithoutFailure() throws Exception {
        RawServer server = server((socket, in, out) -> {
            for (int i = 1; i <= 3 && readRequest(in) != null; i++) {
                if (i < 3) {
                    respond(out, "200 OK", DEMO_BODY);
                } else {
                    respond(out, "200 OK", DEMO_BODY, "Connection: close");
                }
            }
        });

        LoadReport report = runToEnd(requests(server.address(), 1, 30));

        assertThat(report.failures()).isZero();
        assertThat(report.successes()).isEqualTo(30);
        assertThat(server.accepted()).isEqualTo(10);
        assertThat(report.connectionsOpened()).isEqualTo(10);
    }

    @Test
    void keepAlive_http10ResponseWithoutKeepAlive_reconnectsWithoutFailure() throws Exception {
        RawServer server = server((socket, in, out) -> {
            if (readRequest(in) != null) {
                write(out, "HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\npid=9\n");
            }
        });

        LoadReport report = runToEnd(requests(server.address(), 1, 5));

        assertThat(report.failures()).isZero();
        assertThat(server.accepted()).isEqualTo(5);
        assertThat(report.pids()).containsExactly(Map.entry(9L, 5L));
    }

    @Test
    void chunkedBody_withExtensionsAndTrailer_isParsedAndScanned() throws Exception {
        RawServer server = server((socket, in, out) -> {
            while (readRequest(in) != null) {
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "9\r\nppid=1 pi\r\n"
                        + "a;ext=1\r\nd=42 gener\r\n"
                        + "A\r\nation=7 ok\r\n"
                        + "0\r\nX-Trailer: yes\r\n\r\n");
            }
        });

        LoadReport report = runToEnd(requests(server.address(), 2, 20));

        assertThat(report.failures()).isZero();
        assertThat(report.successes()).isEqualTo(20);
        assertThat(report.pids()).as("ppid=1 is not a pid").containsExactly(Map.entry(42L, 20L));
        assertThat(report.generations()).containsExactly(Map.entry(7L, 20L));
        assertThat(server.accepted()).isLessThanOrEqualTo(2);
    }

    @Test
    void bodyDelimitedByClose_isCompleteAndNotAFailure() throws Exception {
        RawServer server = server((socket, in, out) -> {
            if (readRequest(in) != null) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npid=5 generation=1\n");
            }
        });

        LoadReport report = runToEnd(requests(server.address(), 1, 5));

        assertThat(report.failures()).isZero();
        assertThat(report.successes()).isEqualTo(5);
        assertThat(report.pids()).containsExactly(Map.entry(5L, 5L));
    }

    @Test
    void refused_nothingListening_countedAsRefused() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocket bound = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = new InetSocketAddress(bound.getInetAddress(), bound.getLocalPort());
        }

        LoadReport report = runToEnd(requests(closedPort, 1, 5));

        assertThat(report.failuresByKind()).containsEntry(FailureKind.REFUSED, 5L);
        assertThat(report.failures()).isEqualTo(5);
        assertThat(report.successes()).isZero();
        assertThat(report.connectionsOpened()).isZero();
        assertThat(report.sampleFailures()).hasSize(5).allSatisfy(sample -> {
            assertThat(sample.kind()).isEqualTo(FailureKind.REFUSED);
            assertThat(sample.requestOnConnection()).isZero();
            assertThat(sample.toString()).contains("REFUSED", "while connecting", "Connection refused");
        });
    }

    @Test
    void reset_serverLingersZeroAndCloses_countedAsReset() throws Exception {
        RawServer server = server((socket, in, out) -> {
            if (readRequest(in) != null) {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        });

        LoadReport report = runToEnd(requests(server.address(), 1, 5));

        assertThat(report.failuresByKind()).containsEntry(FailureKind.RESET, 5L);
        assertThat(report.failures()).isEqualTo(5);
        assertThat(report.sampleFailures()).first().satisfies(sample -> {
            assertThat(sample.requestOnConnection()).isEqualTo(1);
            assertThat(sample.bytesReceived()).isZero();
            assertThat(sample.detail()).containsIgnoringCase("reset");
        });
    }

    @Test
    void eof_serverClosesAfterReadingRequest_countedAsEof() throws Exception {
        RawServer server = server((socket, in, out) -> readRequest(in));

        LoadReport report = runToEnd(requests(server.address(), 1, 5));

        assertThat(report.failuresByKind()).containsEntry(FailureKind.EOF, 5L);
        assertThat(report.failures()).isEqualTo(5);
        assertThat(report.sampleFailures()).first().satisfies(sample -> {
            assertThat(sample.bytesReceived()).isZero();
            assertThat(sample.detail()).contains("before the status line");
        });
    }

    @Test
    void eof_keepAliveConnectionClosedUnderSecondRequest_countedAsEof() throws Exception {
        // Answers one request without saying Connection: close, then closes under the next one.
        RawServer server = server((socket, in, out) -> {
            if (readRequest(in) != null) {
                respond(out, "200 OK", DEMO_BODY);
                readRequest(in);
            }
        });

        LoadReport report = runToEnd(requests(server.address(), 1, 6));

        assertThat(report.successes()).isEqualTo(3);
        assertThat(report.failuresByKind()).containsEntry(FailureKind.EOF, 3L);
        assertThat(report.failures()).isEqualTo(3);
        assertThat(report.sampleFailures()).allSatisfy(sample -> assertThat(sample.requestOnConnection()).isEqualTo(2));
    }

    @Test
    void eof_serverClosesInTheMiddleOfTheBody_countedAsEof() throws Exception {
        RawServer server = server((socket, in, out) -> {
            if (readRequest(in) != null) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npid=1 ");
            }
        });

        LoadReport report = runToEnd(requests(server.address(), 1, 3));

        assertThat(report.failuresByKind()).containsEntry(FailureKind.EOF, 3L);
        assertThat(report.sampleFailures()).first().satisfies(sample -> {
            assertThat(sample.bytesReceived()).isEqualTo(46);
            assertThat(sample.detail()).contains("94 of 100 body bytes missing");
        });
    }

    @Test
    void timeout_serverNeverAnswers_countedAsTimeout() throws Exception {
        RawServer server = server((socket, in, out) -> holdUntilClosed(in));

        LoadReport report = runToEnd(requests(server.address(), 1, 2).withRequestTimeout(Duration.ofMillis(200)));

        assertThat(report.failuresByKind()).containsEntry(FailureKind.TIMEOUT, 2L);
        assertThat(report.failures()).isEqualTo(2);
        assertThat(report.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(report.sampleFailures()).first()
                .satisfies(sample -> assertThat(sample.detail()).contains("no complete response within 200 ms"));
    }

    @Test
    void timeout_connectionNeverAccepted_countedAsTimeout() throws Exception {
        // A listener that never accepts, its accept queue filled: Linux drops further SYNs, so connect hangs.
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        toClose.add(full);
        InetSocketAddress target = new InetSocketAddress(full.getInetAddress(), full.getLocalPort());
        for (int i = 0; i < 4; i++) {
            Socket filler = new Socket();
            toClose.add(filler);
            try {
                filler.connect(target, 200);
            } catch (SocketTimeoutException e) {
                break;
            }
        }

        LoadReport report = runToEnd(requests(target, 1, 2).withConnectTimeout(Duration.ofMillis(200)));

        assertThat(report.failuresByKind()).containsEntry(FailureKind.TIMEOUT, 2L);
        assertThat(report.sampleFailures()).first().satisfies(sample -> {
            assertThat(sample.requestOnConnection()).isZero();
            assertThat(sample.detail()).containsIgnoringCase("timed out");
        });
    }

    @Test
    void non2xx_serverAnswers503_countedAsNon2xxAndConnectionKept() throws Exception {
        RawServer server = server((socket, in, out) -> {
            while (readRequest(in) != null) {
                respond(out, "503 Service Unavailable", "draining pid=4711\n");
            }
        });

        LoadReport report = runToEnd(requests(server.address(), 1, 10));

        assertThat(report.failuresByKind()).containsEntry(FailureKind.NON_2XX, 10L);
        assertThat(report.failures()).isEqualTo(10);
        assertThat(report.successes()).isZero();
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(report.pids()).as("pids count successful answers only").isEmpty();
        assertThat(report.sampleFailures()).first()
                .satisfies(sample -> assertThat(sample.detail()).isEqualTo("status 503 Service Unavailable"));
    }

    @Test
    void protocol_garbageInsteadOfAResponse_countedAsProtocol() throws Exception {
        RawServer server = server((socket, in, out) -> {
            if (readRequest(in) != null) {
                write(out, "hello there\r\n\r\n");
            }
        });

        LoadReport report = runToEnd(requests(server.address(), 1, 3));

        assertThat(report.failuresByKind()).containsEntry(FailureKind.PROTOCOL, 3L);
        assertThat(report.failures()).isEqualTo(3);
        assertThat(report.sampleFailures()).first()
                .satisfies(sample -> assertThat(sample.detail()).contains("malformed status line: 'hello there'"));
    }

    @Test
    void stop_withRequestsInFlight_countsThemAbandonedNotFailed() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        RawServer server = server((socket, in, out) -> {
            while (readRequest(in) != null) {
                if (answered.incrementAndGet() <= 10) {
                    respond(out, "200 OK", DEMO_BODY);
                } else {
                    held.incrementAndGet();
                    holdUntilClosed(in);
                    return;
                }
            }
        });
        LoadRun run = start(LoadOptions.of(server.address()).withConnections(3).withDuration(Duration.ofSeconds(20)));
        await().atMost(Duration.ofSeconds(10)).until(() -> held.get() == 3);

        LoadReport report = assertTimeoutPreemptively(Duration.ofSeconds(2), run::stop);

        assertThat(report.stopped()).isTrue();
        assertThat(report.successes()).isEqualTo(10);
        assertThat(report.failures()).isZero();
        assertThat(report.abandonedAtStop()).isEqualTo(3);
        assertThat(report.elapsed()).isLessThan(Duration.ofSeconds(10));
        assertThat(run.stop()).as("stop after the end returns the same report").isSameAs(report);
    }

    @Test
    void snapshot_duringRun_reportsProgressAndDistinctPids() throws Exception {
        RawServer server = server(RawServer.ok(DEMO_BODY));
        LoadRun run = start(LoadOptions.of(server.address()).withConnections(2).withDuration(Duration.ofSeconds(20)));

        await().atMost(Duration.ofSeconds(10)).until(() -> run.snapshot().requests() >= 100);
        LoadSnapshot during = run.snapshot();
        LoadReport report = run.stop();
        LoadSnapshot after = run.snapshot();

        assertThat(during.done()).isFalse();
        assertThat(during.failures()).isZero();
        assertThat(during.distinctPids()).isEqualTo(1);
        assertThat(during.requestsPerSecond()).isPositive();
        assertThat(during.toProgressLine()).contains("requests ", "failed 0", "req/s", "pids 1");
        assertThat(after.done()).isTrue();
        assertThat(after.requests()).isEqualTo(report.requests()).isGreaterThanOrEqualTo(during.requests());
        assertThat(after.requestsPerSecondSince(during)).isNotNegative();
    }

    @Test
    void run_blocksUntilTheRequestLimit() throws Exception {
        RawServer server = server(RawServer.ok(DEMO_BODY));

        LoadReport report = assertTimeoutPreemptively(END, () -> LoadGenerator.run(requests(server.address(), 3, 99)));

        assertThat(report.requests()).isEqualTo(99);
        assertThat(report.hasNoFailures()).isTrue();
        assertThat(report.toSummaryLine()).startsWith("requests=99 ok=99 failed=0 refused=0 reset=0 eof=0");
    }
}
