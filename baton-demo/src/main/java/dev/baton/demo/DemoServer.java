package dev.baton.demo;

import dev.baton.Baton;
import dev.baton.ManagedServer;
import dev.baton.jetty.BatonJetty;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The demo server: a Jetty 12 application on Baton. Each generation reads its configuration, takes
 * the {@code http} listener (inherited across upgrades), warms up, says it is ready, and serves until
 * a successor takes over or it is stopped; then it drains and returns.
 */
public final class DemoServer {

    private static final Logger LOG = System.getLogger(DemoServer.class.getName());

    private DemoServer() {}

    /**
     * Runs one generation of the demo server until it has drained.
     *
     * @return the process exit status: 0 after a drain, 143 if stopped before it was ready (as after SIGTERM),
     *     another non-zero status when it could not start
     */
    public static int run(DemoServerOptions options, PrintStream err) throws InterruptedException {
        DemoConfig config;
        try {
            config = options.config() == null ? DemoConfig.defaults() : DemoConfig.load(options.config());
        } catch (DemoConfig.InvalidConfigException e) {
            err.println("demo-server: " + e.getMessage());
            return 2;
        }
        if (config.exitStatus() != 0) {
            err.println("demo-server: exiting with status " + config.exitStatus() + " as startup.exit.status says");
            return config.exitStatus();
        }
        try (Baton baton = Baton.open(options.baton())) {
            Server server = start(baton, options, config);
            if (!config.warmUp().isZero()) {
                LOG.log(Level.INFO, "warming up for " + config.warmUp().toMillis() + " ms");
            }
            if (baton.awaitStopped(config.warmUp())) { // stopped before ready: Baton leaves the exit to us
                err.println("demo-server: stopped before it was ready");
                stopQuietly(server);
                return 143;
            }
            baton.ready();
            baton.awaitStopped();
            stopQuietly(server);
            return 0;
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            err.println("demo-server: " + e.getMessage());
            return 1;
        }
    }

    private static Server start(Baton baton, DemoServerOptions options, DemoConfig config) throws IOException {
        ServerSocketChannel http = baton.listen("http", options.listenAddress());
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("demo-http");
        Server server = new Server(threads);
        server.addConnector(BatonJetty.connector(server, http));
        server.setHandler(new DemoHandler(config, baton.pid(), baton.generation()));
        ManagedServer drainer = BatonJetty.manage(server);
        baton.register(drainer);
        try {
            server.start();
        } catch (Exception e) {
            throw new IOException("cannot start Jetty: " + e.getMessage(), e);
        }
        return server;
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "stopping Jetty failed: " + e.getMessage());
        }
    }
}
