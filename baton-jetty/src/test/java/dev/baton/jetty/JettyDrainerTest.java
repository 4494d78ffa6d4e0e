package dev.baton.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.ManagedServer;
import dev.baton.jetty.testing.ClosedLoopHandover;
import dev.baton.jetty.testing.RawHttpConnection;
import dev.baton.jetty.testing.RawHttpConnection.RawResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JettyDrainerTest extends ServerTest {

    private static final Duration LONG_GRACE = Duration.ofSeconds(30);


    private TestServer start(Duration idleGrace) throws Exception {
        TestServer server = new TestServer(idleGrace);
        toClose.add(server::stop);
        return server;
    }

    private RawHttpConnection connect(TestServer server) throws IOException {
        RawHttpConnection connection = server.connect();
        toClose.add(connection);
        return connection;
    }

    @Test
    void drain_requestInFlight_completesWith200() throws Exception {
        TestServer server = start(LONG_GRACE);
        RawHttpConnection client = connect(server);
        client.send("/slow");
        assertThat(server.slowEntered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> drained = server.drainer.drain();
        assertThat(drained).isNotDone();
        server.releaseSlow();

        RawResponse response = client.read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.closesConnection()).as("committed while draining, so Connection: close").isTrue();
        assertThat(client.awaitClosedByServer()).isTrue();
        client.close();
        await().atMost(WAIT).until(drained::isDone);
    }

    @Test
    void drain_keptAliveConnectionSendsRequest_answered200WithConnectionClose_thenClosed() throws Exception {
        TestServer server = start(LONG_GRACE);
        RawHttpConnection client = connect(server);
        RawResponse before = client.exchange("/");
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.closesConnection()).isFalse();

        CompletableFuture<Void> drained = server.drainer.drain();
        RawResponse during = client.exchange("/");

        assertThat(during.status()).isEqualTo(200);
        assertThat(during.closesConnection()).isTrue();
        assertThat(client.awaitClosedByServer()).as("server closes its side after Connection: close").isTrue();
        client.close();
        // The grace period is 30 s: the connection closed because of Connection: close, not for being idle.
        await().atMost(WAIT).until(drained::isDone);
        assertThat(server.drainer.openConnections()).isZero();
    }

    @Test
    void drain_idleKeptAliveConnection_closedAfterGracePeriod_notBefore() throws Exception {
        Duration grace = Duration.ofMillis(700);
        TestServer server = start(grace);
        RawHttpConnection client = connect(server);
        assertThat(client.exchange("/").closesConnection()).isFalse();

        long start = System.nanoTime();
        CompletableFuture<Void> drained = server.drainer.drain();
        assertThat(client.awaitClosedByServer()).isTrue();
        long closedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closedAfterMillis).isGreaterThanOrEqualTo(grace.toMillis()).isLessThan(5_000);
        await().atMost(WAIT).until(drained::isDone);
    }

    @Test
    void drain_requestWithinGracePeriod_answered200WithConnectionClose() throws Exception {
        Duration grace = Duration.ofMillis(1500);
        TestServer server = start(grace);
        RawHttpConnection client = connect(server);
        client.exchange("/");
        CompletableFuture<Void> drained = server.drainer.drain();
        // Half the grace period later, the idle connection is still there and answers normally.
        await().pollDelay(grace.dividedBy(2)).atMost(grace).until(() -> true);

        RawResponse response = client.exchange("/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.closesConnection()).isTrue();
        client.close();
        await().atMost(WAIT).until(drained::isDone);
    }

    @Test
    void drain_neverAnswers503() throws Exception {
        TestServer server = start(LONG_GRACE);
        List<RawHttpConnection> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RawHttpConnection client = connect(server);
            assertThat(client.exchange("/").status()).isEqualTo(200);
            clients.add(client);
        }
        RawHttpConnection slow = connect(server);
        slow.send("/slow");
        assertThat(server.slowEntered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> drained = server.drainer.drain();
        List<Integer> statuses = new ArrayList<>();
        for (RawHttpConnection client : clients) {
            statuses.add(client.exchange("/").status());
            client.close();
        }
        server.releaseSlow();
        statuses.add(slow.read().status());
        slow.close();

        assertThat(statuses).hasSize(9).containsOnly(200);
        await().atMost(WAIT).until(drained::isDone);
    }

    @Test
    void drain_listenerChannelClosed_newConnectionsNotAcceptedByThisServer() throws Throwable {
        TestServer server = start(LONG_GRACE);
        try (NativeSocket successor = NativeSocket.dup(server.listener)) {
            server.drainer.drain().get(15, TimeUnit.SECONDS);
            assertThat(server.listener.isOpen()).isFalse();

            // The socket still listens for the other holder (no shutdown()): the connection is queued,
            // this server never takes it, and the "successor" accepts it.
            try (Socket late = new Socket()) {
                late.connect(new InetSocketAddress("127.0.0.1", server.port), 5_000);
                assertThat(successor.acceptOne(5_000)).isTrue();
            }
            assertThat(server.drainer.openConnections()).isZero();
        }
    }

    @Test
    void sharedListener_shutdownByOneHolder_refusesConnectionsForAll() throws Throwable {
        // The probe of the test above, shown to detect a shutdown(): this is why a drain never calls it.
        TestServer server = start(LONG_GRACE);
        try (NativeSocket other = NativeSocket.dup(server.listener)) {
            other.shutdown();
            assertThatThrownBy(() -> {
                try (Socket late = new Socket()) {
                    late.connect(new InetSocketAddress("127.0.0.1", server.port), 5_000);
                }
            }).isInstanceOf(ConnectException.class);
        }
        // The acceptor of the server legitimately complains about the broken socket, again and again until
        // it stops: stopped first, so that no complaint comes after the clear.
        server.stop();
        RecordingLogs.clear();
    }

    @Test
    void hammer_closesRemainingConnections_returnsCount() throws Exception {
        TestServer server = start(LONG_GRACE);
        RawHttpConnection idle1 = connect(server);
        RawHttpConnection idle2 = connect(server);
        idle1.exchange("/");
        idle2.exchange("/");
        RawHttpConnection busy = connect(server);
        busy.send("/slow");
        assertThat(server.slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> server.drainer.openConnections() == 3);

        CompletableFuture<Void> drained = server.drainer.drain();
        int closed = server.drainer.hammer();

        assertThat(closed).isEqualTo(3);
        assertThat(idle1.awaitClosedByServer()).isTrue();
        assertThat(idle2.awaitClosedByServer()).isTrue();
        assertThat(busy.awaitClosedByServer()).isTrue();
        await().atMost(WAIT).until(drained::isDone);
        server.releaseSlow();
    }

    @Test
    void startAccepting_notYetCalled_connectionWaitsInTheQueue_thenAnswered() throws Exception {
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        Server server = new Server();
        server.addConnector(BatonJetty.connector(server, listener));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                TestServer.answerOk(response, callback);
                return true;
            }
        });
        ManagedServer managed = BatonJetty.manage(server, LONG_GRACE);
        server.start();
        toClose.add(server::stop);
        RawHttpConnection client = new RawHttpConnection(port);
        toClose.add(client);
        CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return client.exchange("/").status();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(answer).failsWithin(Duration.ofMillis(500));
        managed.startAccepting();
        assertThat(answer).succeedsWithin(WAIT).isEqualTo(200);
    }

    @Test
    void drainer_createdBeforeSetHandler_stillAnswersWithConnectionClose() throws Exception {
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        Server server = new Server();
        server.addConnector(BatonJetty.connector(server, listener));
        ManagedServer drainer = BatonJetty.manage(server, LONG_GRACE);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                TestServer.answerOk(response, callback);
                return true;
            }
        });
        server.start();
        drainer.startAccepting();
        toClose.add(server::stop);
        RawHttpConnection client = new RawHttpConnection(port);
        toClose.add(client);
        client.exchange("/");

        CompletableFuture<Void> drained = drainer.drain();
        RawResponse response = client.exchange("/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.closesConnection()).isTrue();
        client.close();
        await().atMost(WAIT).until(drained::isDone);
    }

    @Test
    void drainer_serverAlreadyStarted_throwsIllegalState() throws Exception {
        TestServer server = start(LONG_GRACE);
        assertThatThrownBy(() -> BatonJetty.manage(server.server))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("STARTED");
    }

    @Test
    void connector_closedListener_throwsIllegalArgument() throws Exception {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.close();
        assertThatThrownBy(() -> BatonJetty.connector(new Server(), listener))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void drain_noConnection_completesAtOnce() throws Exception {
        TestServer server = start(LONG_GRACE);
        assertThat(server.drainer.drain()).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void drain_closedLoopLoadOnKeepAliveConnections_noRequestFails() throws Exception {
        TestServer server = start(Duration.ofSeconds(1));
        int clients = 16;
        LoadClient[] load = new LoadClient[clients];
        for (int i = 0; i < clients; i++) {
            load[i] = new LoadClient(connect(server));
            assertThat(load[i].connection.exchange("/").status()).isEqualTo(200); // established before the drain
        }
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        toClose.add(threads::shutdownNow);
        List<Future<?>> running = new ArrayList<>();
        for (LoadClient client : load) {
            running.add(threads.submit(client));
        }
        await().atMost(WAIT).until(() -> sum(load, LoadClient::okBeforeClose) >= 2_000);

        CompletableFuture<Void> drained = server.drainer.drain();

        for (Future<?> future : running) {
            future.get(30, TimeUnit.SECONDS);
        }
        assertThat(drained).succeedsWithin(WAIT);
        for (LoadClient client : load) {
            assertThat(client.failure).as("failure on a connection established before the drain").isNull();
            assertThat(client.sawConnectionClose).isTrue();
        }
        // Reconnecting after Connection: close finds no listener in this test (the successor would take it).
        assertThatThrownBy(() -> new RawHttpConnection(server.port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void handover_newConnectionsDuringDrain_everyRequestAnswered200ByOneOfTheServers() throws Throwable {
        TestServer old = start(Duration.ofSeconds(1));
        TestServer successor = new TestServer("successor", NativeSocket.duplicateChannel(old.listener), Duration.ofSeconds(1));
        toClose.add(successor::stop);
        List<ConnectingClient> load = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            load.add(new ConnectingClient(old.port));
        }

        ClosedLoopHandover.drive(load, 1, 300, () -> old.drainer.drain().get(15, TimeUnit.SECONDS));

        for (ConnectingClient client : load) {
            assertThat(client.failure).as("a request failed during the handover").isNull();
        }
        assertThat(old.drainer.openConnections()).isZero();
    }

    /** A closed-loop client that opens a new connection for every two requests, never retrying. */
    private static final class ConnectingClient implements ClosedLoopHandover.Client {
        final int port;
        final java.util.concurrent.ConcurrentHashMap<String, Long> answeredBy = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean stop;
        volatile Exception failure;

        ConnectingClient(int port) {
            this.port = port;
        }

        @Override
        public long answeredBy(String server) {
            return answeredBy.getOrDefault(server, 0L);
        }

        @Override
        public void stop() {
            stop = true;
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    try (RawHttpConnection connection = new RawHttpConnection(port)) {
                        for (int i = 0; i < 2; i++) {
                            RawResponse response = connection.exchange("/");
                            if (response.status() != 200) {
                                throw new IOException("status " + response.status());
                            }
                            answeredBy.merge(response.headers().get("x-server"), 1L, Long::sum);
                            if (response.closesConnection()) {
                                break;
                            }
                        }
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    private static long sum(LoadClient[] load, java.util.function.ToLongFunction<LoadClient> counter) {
        long total = 0;
        for (LoadClient client : load) {
            total += counter.applyAsLong(client);
        }
        return total;
    }

    /** A closed-loop client on one kept-alive connection that never retries: it stops at Connection: close. */
    private static final class LoadClient implements Runnable {
        final RawHttpConnection connection;
        volatile long ok;
        volatile boolean sawConnectionClose;
        volatile Exception failure;

        LoadClient(RawHttpConnection connection) {
            this.connection = connection;
        }

        long okBeforeClose() {
            return ok;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    RawResponse response = connection.exchange("/");
                    if (response.status() != 200) {
                        throw new IOException("status " + response.status());
                    }
                    ok++;
                    if (response.closesConnection()) {
                        sawConnectionClose = true;
                        connection.awaitClosedByServer();
                        connection.close();
                        return;
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }
}
