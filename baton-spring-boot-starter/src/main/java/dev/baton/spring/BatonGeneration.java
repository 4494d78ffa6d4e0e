package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.GenerationState;
import dev.baton.LifecycleListener;
import dev.baton.UpgradeResult;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * How one generation of a Spring Boot application lives under Baton: who does what between Spring's
 * lifecycle and Baton's.
 *
 * <ul>
 *   <li>Ready: once the application is ready ({@code ApplicationReadyEvent}, after the runners) the
 *       {@link BatonWarmUp} beans run, then {@link Baton#ready()}; only then do the web servers accept.
 *   <li>Stop: Baton owns SIGTERM, SIGINT, SIGHUP and SIGUSR2 (it replaces the JVM's handlers, so
 *       Spring's shutdown hook does not run on a signal). When this generation stops serving (its
 *       successor is ready, or a stop signal came) Baton drains the web servers while every bean is
 *       still there for the requests in flight; once drained, this closes the context (Spring's
 *       shutdown, {@code @PreDestroy}, pools) and exits the JVM with the context's exit code (0).
 *       A second SIGTERM while draining closes the remaining connections at once.
 *   <li>A context closed by something else (the actuator's shutdown endpoint, {@code System.exit}):
 *       as a {@link SmartLifecycle} stopped before the web server, it drains through Baton first.
 *   <li>Readiness: turns to {@code REFUSING_TRAFFIC} only when a final stop begins; through an upgrade
 *       both generations stay ready, since the service is (see shared/DESIGN.md).
 * </ul>
 *
 * <p>Thread-safe: Baton calls the listener methods on its own threads.
 */
final class BatonGeneration
        implements SmartLifecycle, ApplicationListener<ApplicationReadyEvent>, LifecycleListener, DisposableBean {

    private static final Logger LOG = System.getLogger(BatonGeneration.class.getName());
    /** Stops before Spring's graceful web server shutdown (GRACEFUL_SHUTDOWN_PHASE) and the web server. */
    static final int PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 512;
    private static final long HAMMERED_GRACEFUL_TIMEOUT_MILLIS = 100;

    private final Baton baton;
    private final BatonProperties properties;
    private final ConfigurableApplicationContext context;
    private final List<BatonWarmUp> warmUps;
    private final BatonWebServers servers;
    private static final int REPORTED_FRAMES = 12;

    private volatile boolean running;
    private volatile boolean readyCalled;
    private volatile boolean destroyed;
    private volatile String lastReload;

    BatonGeneration(Baton baton, BatonProperties properties, ConfigurableApplicationContext context,
            List<BatonWarmUp> warmUps, BatonWebServers servers) {
        this.baton = baton;
        this.properties = properties;
        this.context = context;
        this.warmUps = List.copyOf(warmUps);
        this.servers = servers;
        this.lastReload = baton.generation() > 1
                ? "generation " + baton.generation() + " (pid " + baton.pid() + ") took over at " + Instant.now()
                : "none";
        baton.addLifecycleListener(this);
        watchStopBeforeReady(Thread.currentThread());
    }

    /**
     * A stop before ready (the predecessor's SIGTERM at its ready timeout, or a stop signal while starting)
     * only releases {@link Baton#awaitStopped()}, which a Spring application does not call: it would go on
     * starting until the predecessor kills it, and its failure report would not say why it never became
     * ready. So this ends the JVM (status 1) once it logged, on one line (the predecessor keeps a
     * successor's last lines), where the start was: the stack of the thread that builds the context.
     */
    private void watchStopBeforeReady(Thread starter) {
        Thread.ofPlatform().daemon().name("baton-stop-before-ready").start(() -> {
            try {
                baton.awaitStopped();
            } catch (InterruptedException e) {
                return;
            }
            if (readyCalled || destroyed) {
                return;
            }
            LOG.log(Level.ERROR, "generation " + baton.generation() + " (pid " + baton.pid() + ") was stopped"
                    + " before it was ready (its predecessor's ready timeout, baton.ready-timeout, or a stop signal);"
                    + " exiting; the start was at: " + topFrames(starter));
            System.exit(1);
        });
    }

    private static String topFrames(Thread thread) {
        StackTraceElement[] frames = thread.getStackTrace();
        StringBuilder text = new StringBuilder(thread.getName()).append(' ').append(thread.getState());
        for (int i = 0; i < Math.min(frames.length, REPORTED_FRAMES); i++) {
            text.append(i == 0 ? ": " : " <- ").append(frames[i]);
        }
        return text.toString();
    }

    /** The last upgrade seen by this generation, for the health contributor. */
    String lastReload() {
        return lastReload;
    }

    // ---- ready -----------------------------------------------------------------------------------

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (event.getApplicationContext() != context) {
            return;
        }
        if (context instanceof WebServerApplicationContext web && web.getWebServer() != null
                && servers.registered() == 0) {
            throw new IllegalStateException("Baton does not support the web server "
                    + web.getWebServer().getClass().getName() + ": it binds a port of its own, so a successor would"
                    + " find the port taken; use Tomcat (spring-boot-starter-tomcat), Jetty"
                    + " (spring-boot-starter-jetty with dev.baton:baton-jetty) or Reactor Netty (spring-boot-starter-webflux with"
                    + " dev.baton:baton-netty), or set baton.enabled=false");
        }
        try {
            for (BatonWarmUp warmUp : warmUps) {
                warmUp.warmUp();
            }
        } catch (Exception e) {
            throw new IllegalStateException("a warm-up (BatonWarmUp) failed, so generation " + baton.generation()
                    + " never served: " + e.getMessage(), e);
        }
        readyCalled = true;
        // Spring turns readiness to ACCEPTING_TRAFFIC only after this event's listeners, but ready() makes
        // the web servers accept at once, and the predecessor stops: a probe in between would see 503.
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        try {
            baton.ready();
        } catch (IOException e) {
            throw new IllegalStateException("generation " + baton.generation() + " cannot take over: "
                    + e.getMessage() + "; exiting without serving", e);
        }
    }

    // ---- Baton's lifecycle -------------------------------------------------------------------------

    @Override
    public void upgradeEnded(UpgradeResult result) {
        lastReload = result.message() + " (" + Instant.now() + ")";
    }

    @Override
    public void drainingStarted(int generation) {
        if (StopKind.isFinalStop(baton)) {
            LOG.log(Level.INFO, "final stop of generation " + generation + ": readiness is REFUSING_TRAFFIC");
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        }
    }

    @Override
    public void stopped(int generation, int hammered) {
        if (!properties.isExitOnStop()) {
            return;
        }
        // Not on Baton's thread: closing the context waits for Baton (close()), and System.exit for hooks.
        if (hammered > 0) {
            cutGracefulShutdownShort();
        }
        // Logged before the context closes, which shuts Spring's logging down.
        LOG.log(Level.INFO, "generation " + generation + " drained" + (hammered > 0 ? " (" + hammered
                + " connections cut)" : "") + "; closing the context, then exiting");
        // Not a daemon: it is what keeps the JVM alive until the context is closed.
        Thread.ofPlatform().name("baton-exit").daemon(false).start(() ->
                System.exit(context.isActive() ? SpringApplication.exit(context) : 0));
    }

    /**
     * After a hammer (a second SIGTERM, or the drain timeout) the connections are closed, but request
     * threads may still run; Spring's graceful web server shutdown would wait for them for a whole
     * shutdown phase (30 s by default). Its phase gets a token timeout instead, so that the context
     * closes at once, as a second SIGTERM asks.
     */
    private void cutGracefulShutdownShort() {
        if (context.getBeanFactory().containsSingleton(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
                && context.getBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
                        instanceof DefaultLifecycleProcessor processor) {
            processor.setTimeoutForShutdownPhase(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE,
                    HAMMERED_GRACEFUL_TIMEOUT_MILLIS);
        }
    }

    // ---- SmartLifecycle: a context closed by someone else drains first ------------------------------

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        GenerationState state = baton.state();
        if (state == GenerationState.SERVING || state == GenerationState.UPGRADING) {
            baton.stop();
        }
        if (state != GenerationState.STARTING && state != GenerationState.STOPPED) {
            try {
                Duration wait = properties.getDrainTimeout().plusSeconds(5);
                if (!baton.awaitStopped(wait)) {
                    LOG.log(Level.WARNING, "generation " + baton.generation() + " did not drain within " + wait
                            + "; the context closes anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Closes Baton with the context; but a generation that never became ready (its context failed to
     * start) keeps its link to the predecessor until the JVM exits: closing it at once would make the
     * predecessor stop this process before Spring Boot has reported why it failed, and the upgrade
     * report would miss the cause.
     */
    @Override
    public void destroy() {
        destroyed = true;
        if (baton.state() == GenerationState.STARTING) {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("baton-close").unstarted(baton::close));
        } else {
            baton.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
