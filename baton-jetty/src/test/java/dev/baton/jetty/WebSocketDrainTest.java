package dev.baton.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.jetty.testing.RawWebSocket;
import dev.baton.jetty.testing.RawWebSocket.Incoming;
import dev.baton.jetty.testing.ReconnectingEchoClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.junit.jupiter.api.Test;

/** WebSocket sessions on a Baton listener, closed with 1001 (going away) by a drain. */
class WebSocketDrainTest extends ServerTest {

    private RawWebSocket connect(ProtocolServer server) throws Exception {
        RawWebSocket webSocket = RawWebSocket.connect(server.port, "/ws");
        toClose.add(webSocket);
        await().atMost(WAIT).until(() -> server.webSockets.openSessions() == 1);
        return webSocket;
    }

    @Test
    void drain_messageInFlight_echoedFirst_thenClose1001_thenConnectionClosed() throws Exception {
        ProtocolServer server = startH2c();
        RawWebSocket client = connect(server);
        client.sendText("hello");
        assertThat(client.read()).isEqualTo(new Incoming.Text("server hello"));
        client.sendText("slow");
        assertThat(server.slowEntered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> drained = server.drainer.drain();
        // Time for a close frame sent too early to go out: it would come first and the echo would fail.
        await().pollDelay(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
        assertThat(drained).isNotDone();
        server.releaseSlow();

        assertThat(client.read()).isEqualTo(new Incoming.Text("server slow"));
        assertThat(client.read()).isEqualTo(new Incoming.Close(WebSocketDrain.GOING_AWAY, "going away"));
        client.sendClose(WebSocketDrain.GOING_AWAY);
        assertThat(client.awaitClosedByServer()).isTrue();
        assertThat(drained).succeedsWithin(WAIT);
        assertThat(server.webSockets.openSessions()).isZero();
    }

    @Test
    void drain_peerNeverAnswersTheClose_connectionAbortedAfterTheCloseTimeout() throws Exception {
        ProtocolServer server = startH2c();
        RawWebSocket client = connect(server);
        client.sendText("hello");
        client.read();

        long start = System.nanoTime();
        CompletableFuture<Void> drained = server.drainer.drain();
        assertThat(client.read()).isEqualTo(new Incoming.Close(WebSocketDrain.GOING_AWAY, "going away"));
        // Jetty shuts its output after the close frame; the connection ends when the server gives up waiting.
        assertThat(drained).succeedsWithin(WAIT);
        long closedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closedAfterMillis).as("aborted after the close timeout (the idle grace), not Jetty's idle timeout")
                .isGreaterThanOrEqualTo(GRACE.toMillis()).isLessThan(5_000);
        assertThat(client.awaitClosedByServer()).isTrue();
    }

    /** A session that records the close asked of it (Jetty's empty session does nothing else). */
    private static final class RecordingSession extends CoreSession.Empty {
        volatile int closeStatus;

        @Override
        public void close(int statusCode, String reason, Callback callback) {
            closeStatus = statusCode;
            callback.succeeded();
        }
    }

    @Test
    void drain_sessionOpenedWhileDraining_closedWith1001AtOnce() throws Exception {
        ProtocolServer server = startH2c();
        RawWebSocket keptAlive = connect(server); // keeps the drain from completing
        server.drainer.drain();
        assertThat(keptAlive.read()).isEqualTo(new Incoming.Close(WebSocketDrain.GOING_AWAY, "going away"));

        // A session's frame handler opening now (its upgrade was in flight) is told at once.
        FrameHandler late = server.webSockets.track(new ProtocolServer.Quiet());
        RecordingSession session = new RecordingSession();
        late.onOpen(session, Callback.NOOP);
        assertThat(session.closeStatus).isEqualTo(WebSocketDrain.GOING_AWAY);
        keptAlive.sendClose(WebSocketDrain.GOING_AWAY);
    }

    @Test
    void hammer_sessionStuckInItsMessage_outlivesTheDrain_cutAndCounted() throws Exception {
        ProtocolServer server = startH2c();
        RawWebSocket client = connect(server);
        client.sendText("stuck");
        assertThat(server.stuckEntered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> drained = server.drainer.drain();
        await().pollDelay(GRACE.plusMillis(500)).atMost(WAIT).until(() -> true);
        assertThat(drained).as("a session inside a message is not closed").isNotDone();
        int closed = server.drainer.hammer();

        assertThat(closed).isEqualTo(1);
        assertThat(client.read()).isEqualTo(new Incoming.Eof());
        assertThat(drained).succeedsWithin(WAIT);
    }

    @Test
    void handover_clientsReconnectOn1001_everyMessageEchoedByOneOfTheServers() throws Throwable {
        ProtocolServer old = startH2c();
        int clients = 4;
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        toClose.add(threads::shutdownNow);
        List<ReconnectingEchoClient> load = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            ReconnectingEchoClient client = new ReconnectingEchoClient(old.port, "/ws", "c" + i);
            load.add(client);
            running.add(threads.submit(client));
        }
        await().atMost(WAIT).until(() -> total(load, "server") >= 400);
        // The successor starts once every session is on the old server, so each must move.
        ProtocolServer successor = new ProtocolServer(
                "successor", NativeSocket.duplicateChannel(old.listener), BatonJetty::h2cConnector, GRACE);
        toClose.add(successor::stop);

        old.drainer.drain().get(15, TimeUnit.SECONDS);
        long afterDrain = total(load, "successor");
        await().atMost(WAIT).until(() -> total(load, "successor") >= afterDrain + 400);
        load.forEach(ReconnectingEchoClient::stop);
        for (Future<?> future : running) {
            future.get(30, TimeUnit.SECONDS);
        }

        for (ReconnectingEchoClient client : load) {
            assertThat(client.failure()).as("a WebSocket call failed during the handover").isNull();
        }
        assertThat(load).allMatch(client -> client.reconnects() >= 1, "every client reconnected on 1001");
        assertThat(old.drainer.openConnections()).isZero();
    }

    private static long total(List<ReconnectingEchoClient> load, String server) {
        return load.stream().mapToLong(client -> client.echoedBy(server)).sum();
    }
}
