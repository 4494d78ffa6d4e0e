package dev.baton.demo;

import dev.baton.Baton;
import dev.baton.jetty.BatonJetty;
import dev.baton.jetty.JettyWarmUp;
import dev.baton.jetty.WebSocketDrain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The demo on Jetty 12: the {@link DemoHandler} behind a Baton connector speaking HTTP/1.1 and h2c (or
 * HTTPS with h2 by ALPN, given {@link DemoTls}), a WebSocket echo at {@code /ws}, drained by baton-jetty.
 */
final class JettyDemo implements RunningServer {

    private static final Logger LOG = System.getLogger(JettyDemo.class.getName());

    private final Server server;

    private JettyDemo(Server server) {
        this.server = server;
    }

    static RunningServer start(Baton baton, DemoServerOptions options, DemoAnswers answers) throws IOException {
        ServerSocketChannel http = baton.listen("http", options.listenAddress());
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("demo-http");
        Server server = new Server(threads);
        server.addConnector(connector(server, http, options.tls()));
        baton.register(BatonJetty.manage(server));
        server.setHandler(webSocketsAnd(server, BatonJetty.readiness(baton, new DemoHandler(answers)), // GET /ready
                new WebSocketEcho(baton.pid(), baton.generation())));
        try {
            server.start();
        } catch (Exception e) {
            throw new IOException("cannot start Jetty: " + e.getMessage(), e);
        }
        if (options.warmUpRounds() > 0) { // through a local connector: the serving generation keeps the sockets
            JettyWarmUp warmUp = BatonJetty.warmUp(server).rounds(options.warmUpRounds()).atMost(DemoServerOptions.WARM_UP_LIMIT);
            DemoServerOptions.WARM_UP_PATHS.forEach(warmUp::get);
            warmUp.run();
        }
        return new JettyDemo(server);
    }

    private static ServerConnector connector(Server server, ServerSocketChannel listener, DemoTls tls)
            throws IOException {
        if (tls == null) {
            return BatonJetty.h2cConnector(server, listener);
        }
        try {
            return BatonJetty.tlsConnector(server, listener, tls.certificate(), tls.privateKey());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The echo at {@code /ws}, each session closed with 1001 by the drain; every other request to {@code http}. */
    private static WebSocketUpgradeHandler webSocketsAnd(Server server, Handler http, WebSocketEcho echo) {
        WebSocketDrain sessions = BatonJetty.webSockets(server);
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
        upgrade.addMapping(WebSocketEcho.PATH, (request, response, callback) ->
                sessions.track(new JettyDemoWebSocket(echo)));
        upgrade.setHandler(http);
        return upgrade;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "stopping Jetty failed: " + e.getMessage());
        }
    }
}
