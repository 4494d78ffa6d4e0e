package dev.baton.jetty;

import dev.baton.jetty.testing.RawHttpConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty server on a Baton connector bound to 127.0.0.1, port 0, with its drainer. Path {@code /slow}
 * blocks until {@link #releaseSlow()}; every other path answers "ok" at once.
 */
final class TestServer {

    final ServerSocketChannel listener;
    final Server server;
    final JettyDrainer drainer;
    final int port;
    final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);

    TestServer(Duration idleGrace) throws Exception {
        this("server", bound(), idleGrace);
    }

    TestServer(String name, ServerSocketChannel listener, Duration idleGrace) throws Exception {
        this.listener = listener;
        port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        server = new Server();
        server.addConnector(BatonJetty.connector(server, listener));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (Request.getPathInContext(request).equals("/slow")) {
                    slowEntered.countDown();
                    if (!slowRelease.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("slow request never released");
                    }
                }
                response.getHeaders().put("X-Server", name);
                answerOk(response, callback);
                return true;
            }
        });
        drainer = (JettyDrainer) BatonJetty.manage(server, idleGrace);
        server.start();
        drainer.startAccepting();
    }

    private static ServerSocketChannel bound() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return listener;
    }

    static void answerOk(Response response, Callback callback) {
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        Content.Sink.write(response, true, "ok", callback);
    }

    RawHttpConnection connect() throws IOException {
        return new RawHttpConnection(port);
    }

    void releaseSlow() {
        slowRelease.countDown();
    }

    void stop() throws Exception {
        releaseSlow();
        server.stop();
        listener.close();
    }
}
