package dev.baton.jetty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * A Jetty server on one Baton connector of the caller's choice (h2c, TLS), bound to 127.0.0.1 port 0
 * or on a given listener, with its drainer and a WebSocket echo at {@code /ws} tracked for the drain.
 *
 * <p>HTTP: {@code /slow} answers once {@link #releaseSlow()} is called (asynchronously, no thread
 * blocked); every other path answers "ok" with {@code X-Server: name}. WebSocket: each text message is
 * echoed as "name message"; the message "slow" is echoed once {@link #releaseSlow()} is called, the
 * message "stuck" never is (its frame is never handled).
 */
final class ProtocolServer {

    final String name;
    final ServerSocketChannel listener;
    final Server server;
    final JettyDrainer drainer;
    final WebSocketDrain webSockets;
    final int port;
    final CountDownLatch slowEntered = new CountDownLatch(1);
    final CountDownLatch stuckEntered = new CountDownLatch(1);
    final AtomicInteger requests = new AtomicInteger();
    private final CompletableFuture<Void> slowRelease = new CompletableFuture<>();

    ProtocolServer(BiFunction<Server, ServerSocketChannel, ServerConnector> connector, Duration idleGrace)
            throws Exception {
        this("server", bound(), connector, idleGrace);
    }

    ProtocolServer(String name, ServerSocketChannel listener,
            BiFunction<Server, ServerSocketChannel, ServerConnector> connector, Duration idleGrace) throws Exception {
        this.name = name;
        this.listener = listener;
        port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        server = new Server();
        server.addConnector(connector.apply(server, listener));
        drainer = (JettyDrainer) BatonJetty.manage(server, idleGrace);
        webSockets = BatonJetty.webSockets(server);
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
        upgrade.addMapping("/ws", (request, response, callback) -> webSockets.track(new Echo()));
        upgrade.setHandler(new Http());
        server.setHandler(upgrade);
        server.start();
        drainer.startAccepting();
    }

    static ServerSocketChannel bound() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return listener;
    }

    void releaseSlow() {
        slowRelease.complete(null);
    }

    void stop() throws Exception {
        releaseSlow();
        server.stop();
        listener.close();
    }

    private final class Http extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            requests.incrementAndGet();
            response.getHeaders().put("X-Server", name);
            if (Request.getPathInContext(request).equals("/slow")) {
                slowEntered.countDown();
                slowRelease.thenRun(() -> TestServer.answerOk(response, callback));
            } else {
                TestServer.answerOk(response, callback);
            }
            return true;
        }
    }

    /** The echo endpoint, on Jetty's core WebSocket API: it demands each frame once the previous is handled. */
    private final class Echo extends Quiet {
        private volatile CoreSession session;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            callback.succeeded();
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (frame.getOpCode() != OpCode.TEXT) {
                callback.succeeded();
                if (frame.getOpCode() != OpCode.CLOSE) {
                    session.demand();
                }
                return;
            }
            String text = frame.getPayloadAsUTF8();
            switch (text) {
                case "stuck" -> stuckEntered.countDown();
                case "slow" -> {
                    slowEntered.countDown();
                    slowRelease.thenRun(() -> echo(text, callback));
                }
                default -> echo(text, callback);
            }
        }

        private void echo(String text, Callback callback) {
            session.sendFrame(new Frame(OpCode.TEXT, name + " " + text), Callback.from(() -> {
                callback.succeeded();
                session.demand();
            }, callback::failed), false);
        }

    }

    /** A frame handler that accepts every event and does nothing; the base of the test endpoints. */
    static class Quiet implements FrameHandler {
        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            callback.succeeded();
        }
    }
}
