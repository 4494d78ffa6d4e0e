package dev.baton.demo;

import dev.baton.Baton;
import dev.baton.jetty.BatonJetty;
import dev.baton.jetty.JettyWarmUp;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The demo on Jetty 12: the {@link DemoHandler} behind a Baton connector, drained by baton-jetty. */
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
        server.addConnector(BatonJetty.connector(server, http));
        server.setHandler(BatonJetty.readiness(baton, new DemoHandler(answers))); // GET /ready
        baton.register(BatonJetty.manage(server));
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

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "stopping Jetty failed: " + e.getMessage());
        }
    }
}
