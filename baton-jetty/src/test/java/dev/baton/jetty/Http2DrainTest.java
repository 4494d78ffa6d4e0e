package dev.baton.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.jetty.testing.ClosedLoopHandover;
import dev.baton.jetty.testing.H2cClient;
import dev.baton.jetty.testing.H2cClient.Answer;
import dev.baton.jetty.testing.H2cClient.Control;
import dev.baton.jetty.testing.RawHttpConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** HTTP/2 cleartext on a Baton listener beside HTTP/1.1, and its drain by the two-step GOAWAY. */
class Http2DrainTest extends ServerTest {

    private H2cClient h2c(int port) throws Exception {
        H2cClient client = H2cClient.connect(port);
        toClose.add(client);
        return client;
    }

    @Test
    void drain_h2cStreamInFlight_answered200_thenFinalGoAwayNamesItsStream() throws Exception {
        ProtocolServer server = startH2c();
        H2cClient client = h2c(server.port);
        assertThat(client.get("/").get(10, TimeUnit.SECONDS).status()).isEqualTo(200); // stream 1
        CompletableFuture<Answer> slow = client.get("/slow"); // stream 3
        assertThat(server.slowEntered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> drained = server.drainer.drain();
        await().atMost(WAIT).until(() -> !client.goAways().isEmpty());
        assertThat(client.goAways().getFirst()).isEqualTo(new Control.GoAway(Integer.MAX_VALUE, 0));
        assertThat(slow).isNotDone();
        server.releaseSlow();

        Answer answer = slow.get(10, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("ok");
        await().atMost(WAIT).until(() -> client.goAways().size() >= 2);
        assertThat(client.goAways().getLast()).as("the final GOAWAY names the last stream answered")
                .isEqualTo(new Control.GoAway(3, 0));
        assertThat(client.controls()).noneMatch(Control.Reset.class::isInstance);
        assertThat(drained).succeedsWithin(WAIT);
        assertThat(server.drainer.openConnections()).isZero();
    }

    @Test
    void drain_idleSession_finalGoAwayComesOnlyAfterThePingIsAnswered() throws Exception {
        ProtocolServer server = startH2c();
        H2cClient client = h2c(server.port);
        assertThat(client.get("/").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

        CompletableFuture<Void> drained = server.drainer.drain();

        await().atMost(WAIT).until(() -> client.goAways().size() >= 2);
        List<Control> controls = client.controls();
        int first = controls.indexOf(new Control.GoAway(Integer.MAX_VALUE, 0));
        int ping = indexOfPing(controls);
        int last = controls.indexOf(new Control.GoAway(1, 0));
        assertThat(first).as("first GOAWAY in %s", controls).isNotNegative();
        assertThat(ping).as("PING after the first GOAWAY in %s", controls).isGreaterThan(first);
        assertThat(last).as("final GOAWAY after the PING in %s", controls).isGreaterThan(ping);
        assertThat(drained).succeedsWithin(WAIT);
    }

    private static int indexOfPing(List<Control> controls) {
        for (int i = 0; i < controls.size(); i++) {
            if (controls.get(i) instanceof Control.Ping) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void drain_afterGoAway_clientOpensNoNewStream_serverSeesNoNewRequest() throws Exception {
        ProtocolServer server = startH2c();
        H2cClient client = h2c(server.port);
        client.get("/").get(10, TimeUnit.SECONDS);
        int before = server.requests.get();

        server.drainer.drain();
        await().atMost(WAIT).until(() -> !client.goAways().isEmpty());
        CompletableFuture<Answer> after = client.get("/");

        assertThat(after).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(H2cClient.NotSent.class);
        assertThat(server.requests.get()).isEqualTo(before);
        assertThat(client.controls()).noneMatch(Control.Reset.class::isInstance);
    }

    @Test
    void hammer_streamOutlivesTheDrain_cutAndCounted() throws Exception {
        ProtocolServer server = startH2c();
        H2cClient client = h2c(server.port);
        CompletableFuture<Answer> slow = client.get("/slow");
        assertThat(server.slowEntered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> drained = server.drainer.drain();
        await().atMost(WAIT).until(() -> !client.goAways().isEmpty());
        int closed = server.drainer.hammer();

        assertThat(closed).isEqualTo(1);
        assertThat(slow).failsWithin(WAIT);
        assertThat(drained).succeedsWithin(WAIT);
    }

    @Test
    void h2cConnector_http1PriorKnowledgeAndUpgrade_allServedOnTheSamePort() throws Exception {
        ProtocolServer server = startH2c();
        try (RawHttpConnection http1 = new RawHttpConnection(server.port)) {
            assertThat(http1.exchange("/").status()).isEqualTo(200);
        }
        assertThat(h2c(server.port).get("/").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        // The JDK's client asks for h2c with Upgrade (it has no prior knowledge mode).
        try (HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            HttpResponse<String> response = jdk.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    @Test
    void drain_h2cSessionOpen_sharedListenerNeverShutDown() throws Throwable {
        ProtocolServer server = startH2c();
        H2cClient client = h2c(server.port);
        client.get("/").get(10, TimeUnit.SECONDS);
        try (NativeSocket successor = NativeSocket.dup(server.listener)) {
            server.drainer.drain().get(15, TimeUnit.SECONDS);
            assertThat(server.listener.isOpen()).isFalse();
            try (Socket late = new Socket()) {
                late.connect(new InetSocketAddress("127.0.0.1", server.port), 5_000);
                assertThat(successor.acceptOne(5_000)).isTrue();
            }
        }
    }

    @Test
    void handover_h2cClosedLoopLoad_manyStreamsPerConnection_noStreamFails() throws Throwable {
        ProtocolServer old = startH2c();
        ProtocolServer successor = new ProtocolServer(
                "successor", NativeSocket.duplicateChannel(old.listener), BatonJetty::h2cConnector, GRACE);
        toClose.add(successor::stop);
        List<H2cLoad> load = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            H2cLoad client = new H2cLoad(old.port);
            toClose.add(client);
            load.add(client);
        }

        // 4 connections, 4 streams at a time on each.
        ClosedLoopHandover.drive(load, 4, 500, () -> old.drainer.drain().get(15, TimeUnit.SECONDS));

        for (H2cLoad client : load) {
            assertThat(client.failure).as("a stream failed during the handover").isNull();
        }
    }

    /**
     * Closed-loop streams on one h2c connection at a time, never retrying a request that was sent: on a
     * GOAWAY it moves to a new connection, where a request the client refused to send goes.
     */
    private static final class H2cLoad implements ClosedLoopHandover.Client, AutoCloseable {
        final int port;
        final java.util.concurrent.ConcurrentHashMap<String, Long> answeredBy = new java.util.concurrent.ConcurrentHashMap<>();
        final List<H2cClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile H2cClient current;
        volatile boolean stop;
        volatile Throwable failure;

        H2cLoad(int port) throws Exception {
            this.port = port;
            current = H2cClient.connect(port);
            clients.add(current);
        }

        @Override
        public long answeredBy(String server) {
            return answeredBy.getOrDefault(server, 0L);
        }

        @Override
        public void stop() {
            stop = true;
        }

        private synchronized H2cClient connection() throws Exception {
            if (current.isClosed() || !current.goAways().isEmpty()) {
                current = H2cClient.connect(port);
                clients.add(current);
            }
            return current;
        }

        @Override
        public void run() {
            try {
                while (!stop && failure == null) {
                    try {
                        Answer answer = connection().get("/").get(10, TimeUnit.SECONDS);
                        if (answer.status() != 200) {
                            throw new IllegalStateException("status " + answer.status());
                        }
                        answeredBy.merge(answer.headers().get("x-server"), 1L, Long::sum);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof H2cClient.NotSent)) {
                            throw e.getCause();
                        }
                    }
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        @Override
        public void close() throws java.io.IOException {
            for (H2cClient client : clients) {
                client.close();
            }
        }
    }
}
