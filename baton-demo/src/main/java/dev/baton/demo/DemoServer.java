package dev.baton.demo;

import dev.baton.Baton;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The demo server: an application on Baton, served by Jetty, Netty or gRPC ({@link DemoServerKind}).
 * Each generation reads its configuration, takes its listener (inherited across upgrades), warms up,
 * says it is ready, and serves until a successor takes over or it is stopped; then it drains and returns.
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
        if (options.server().isSpring()) {
            return SpringDemo.run(options, err);
        }
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
            RunningServer server = start(baton, options, config);
            if (!config.warmUp().isZero()) {
                LOG.log(Level.INFO, "warming up for " + config.warmUp().toMillis() + " ms");
            }
            if (baton.awaitStopped(config.warmUp())) { // stopped before ready: Baton leaves the exit to us
                err.println("demo-server: stopped before it was ready");
                server.close();
                return 143;
            }
            baton.ready();
            baton.awaitStopped();
            server.close();
            return 0;
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            err.println("demo-server: " + e.getMessage());
            return 1;
        }
    }

    private static RunningServer start(Baton baton, DemoServerOptions options, DemoConfig config)
            throws IOException {
        DemoAnswers answers = new DemoAnswers(config, baton.pid(), baton.generation(),
                options.metrics() ? DemoMetrics.of(baton)::scrape : null);
        return switch (options.server()) {
            case JETTY -> JettyDemo.start(baton, options, answers);
            case NETTY -> NettyDemo.start(baton, options, answers);
            case GRPC -> GrpcDemo.start(baton, options);
            case SPRING_TOMCAT, SPRING_JETTY, SPRING_WEBFLUX -> throw new AssertionError("run by SpringDemo");
        };
    }
}
