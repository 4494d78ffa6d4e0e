package dev.baton.spring.tomcat;

import dev.baton.ManagedServer;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.tomcat.util.net.NioEndpoint.NioSocketWrapper;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * The {@link ManagedServer} of one Baton Tomcat connector, with the semantics of Baton's Jetty
 * adapter: stop accepting by closing this process's copy of the listener, let requests in flight
 * finish, answer requests that arrive meanwhile normally with {@code Connection: close} (never 503),
 * close connections that stay idle for the grace period, and complete once no connection is left.
 *
 * <p>Concurrency: {@link #drain()} and {@link #hammer()} may be called from any thread. Once draining,
 * a sweep runs every tick (a tenth of the grace period, 10 to 100 ms) on a daemon thread of its own;
 * it is the only code that closes idle connections.
 */
final class TomcatDrainer implements ManagedServer {

    private static final Logger LOG = System.getLogger(TomcatDrainer.class.getName());

    private final BatonTomcatProtocol protocol;
    private final ListenerEndpoint endpoint;
    private final TomcatDrainState state;
    private final long graceNanos;
    private final long tickMillis;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    TomcatDrainer(BatonTomcatProtocol protocol, ListenerEndpoint endpoint, TomcatDrainState state, Duration idleGrace) {
        if (idleGrace.isNegative() || idleGrace.isZero()) {
            throw new IllegalArgumentException("idleGrace must be positive, was " + idleGrace);
        }
        this.protocol = protocol;
        this.endpoint = endpoint;
        this.state = state;
        this.graceNanos = idleGrace.toNanos();
        this.tickMillis = Math.clamp(idleGrace.toMillis() / 10, 10, 100);
    }

    @Override
    public void startAccepting() {
        if (!started.get()) {
            endpoint.startAccepting();
        }
    }

    /** Tomcat on Baton's endpoint can: its acceptor waits at the endpoint's gate. */
    @Override
    public boolean canPauseAccepting() {
        return true;
    }

    @Override
    public void pauseAccepting() {
        if (!started.get()) {
            endpoint.pauseAccepting();
        }
    }

    @Override
    public void resumeAccepting() {
        startAccepting();
    }

    /** {@inheritDoc} Calling it again returns the same future. */
    @Override
    public CompletableFuture<Void> drain() {
        if (!started.compareAndSet(false, true)) {
            return drained;
        }
        state.startDraining();
        try {
            endpoint.stopAccepting();
        } catch (IOException e) {
            // Baton closes its listeners after the drain; the drain goes on.
            LOG.log(Level.WARNING, "could not close the listener of " + protocol.getName(), e);
        }
        LOG.log(Level.INFO, "draining " + protocol.getName() + ": listener closed, " + connections().size()
                + " connection(s) open, idle grace " + TimeUnit.NANOSECONDS.toMillis(graceNanos) + " ms");
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("baton-tomcat-drain").daemon(true).factory());
        executor.scheduleWithFixedDelay(this::sweep, 0, tickMillis, TimeUnit.MILLISECONDS);
        drained.whenComplete((ignored, failure) -> executor.shutdown());
        return drained;
    }

    /** {@inheritDoc} Starts draining first if {@link #drain()} was not called. */
    @Override
    public int hammer() {
        drain();
        int closed = 0;
        for (SocketWrapperBase<?> connection : connections()) {
            if (!connection.isClosed()) {
                connection.close();
                closed++;
            }
        }
        LOG.log(Level.DEBUG, "hammer closed " + closed + " connection(s)");
        return closed;
    }

    /** How many connections the connector holds, for tests and logs. */
    int openConnections() {
        return connections().size();
    }

    private void sweep() {
        try {
            boolean quiet = endpoint.isAcceptQuiet();
            List<SocketWrapperBase<?>> open = connections();
            long now = System.nanoTime();
            for (SocketWrapperBase<?> connection : open) {
                if (isIdleForGrace(connection, now)) {
                    LOG.log(Level.DEBUG, "closing a connection idle for the grace period: " + connection);
                    connection.close();
                }
            }
            if ((quiet && open.isEmpty()) || !endpoint.isRunning()) {
                LOG.log(Level.INFO, "drained " + protocol.getName() + ": no connection left");
                drained.complete(null);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the drain sweep of " + protocol.getName() + " failed; it runs again", e);
        }
    }

    private boolean isIdleForGrace(SocketWrapperBase<?> connection, long now) {
        if (state.isInService(connection) || connection.getCurrentProcessor() != null) {
            return false;
        }
        long idleSince = state.drainStartNanos();
        if (connection instanceof NioSocketWrapper nio) {
            long lastMillis = Math.max(nio.getLastRead(), nio.getLastWrite());
            long idleMillis = Math.max(0, System.currentTimeMillis() - lastMillis);
            idleSince = Math.max(idleSince, now - TimeUnit.MILLISECONDS.toNanos(idleMillis));
        }
        return now - idleSince >= graceNanos;
    }

    private List<SocketWrapperBase<?>> connections() {
        return List.copyOf(endpoint.getConnections());
    }
}
