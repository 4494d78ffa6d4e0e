package dev.baton.jetty;

import dev.baton.ManagedServer;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

/**
 * The {@link ManagedServer} of a Jetty server: stops accepting, lets requests finish, closes each
 * connection after it answered with {@code Connection: close} or stayed idle for the grace period,
 * and completes when the server holds no connection.
 *
 * <p>Concurrency: {@link #drain()} and {@link #hammer()} may be called from any thread. Once draining,
 * a sweep runs on the server's scheduler every tick (a tenth of the grace period, between 10 and 100
 * ms): it closes the connections idle for the grace period and completes the future when no
 * connection is left and no accepted socket is still on its way to the connector. The sweep is the
 * only code that closes idle connections; one sweep runs at a time, as each schedules the next.
 */
final class JettyDrainer implements ManagedServer {

    private static final Logger LOG = System.getLogger(JettyDrainer.class.getName());

    private final Server server;
    private final DrainState state;
    private final long graceNanos;
    private final long tickMillis;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    JettyDrainer(Server server, DrainState state, Duration idleGrace) {
        this.server = server;
        this.state = state;
        this.graceNanos = idleGrace.toNanos();
        this.tickMillis = Math.clamp(idleGrace.toMillis() / 10, 10, 100);
        setAccepting(false);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Until then the acceptor threads wait (Jetty's {@code AbstractConnector.setAccepting}) and new
     * connections wait in the listening socket's queue, where the serving generation takes them.
     */
    @Override
    public void startAccepting() {
        if (!started.get()) {
            setAccepting(true);
        }
    }

    private void setAccepting(boolean accepting) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractConnector abstractConnector) {
                abstractConnector.setAccepting(accepting);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Calling it again returns the same future.
     */
    @Override
    public CompletableFuture<Void> drain() {
        if (!started.compareAndSet(false, true)) {
            return drained;
        }
        int listeners = stopAccepting();
        state.startDraining();
        if (server.getDescendant(DrainHandler.class) == null) {
            LOG.log(Level.WARNING, "the drain handler is no longer below {0} (was its handler replaced after"
                    + " the drainer was created?); requests on kept-alive connections will not get Connection: close",
                    server);
        }
        LOG.log(Level.INFO, "draining: closed {0} listener(s), {1} connection(s) open, idle grace {2} ms",
                String.valueOf(listeners), String.valueOf(connections().size()),
                String.valueOf(TimeUnit.NANOSECONDS.toMillis(graceNanos)));
        sweep();
        return drained;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Starts draining first if {@link #drain()} was not called, so that nothing is accepted any more.
     */
    @Override
    public int hammer() {
        drain();
        int closed = 0;
        for (EndPoint connection : connections()) {
            if (connection.isOpen()) {
                connection.close();
                closed++;
            }
        }
        LOG.log(Level.DEBUG, "hammer closed {0} connection(s)", closed);
        return closed;
    }

    /** How many connections the server holds, for tests and logs. */
    int openConnections() {
        return connections().size();
    }

    private int stopAccepting() {
        int closed = 0;
        for (Connector connector : server.getConnectors()) {
            try {
                if (connector instanceof ListenerConnector listener) {
                    listener.stopAccepting();
                    closed++;
                } else if (connector instanceof NetworkConnector network) {
                    if (connector instanceof AbstractConnector abstractConnector) {
                        abstractConnector.setAccepting(false);
                    }
                    network.close();
                    closed++;
                }
            } catch (IOException e) {
                // The channel is still ours to close at stop; the drain goes on.
                LOG.log(Level.WARNING, "could not close the listener of " + connector, e);
            }
        }
        return closed;
    }

    private void sweep() {
        if (drained.isDone()) {
            return;
        }
        boolean quiet = true;
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ListenerConnector listener && !listener.isAcceptQuiet()) {
                quiet = false;
            }
        }
        List<EndPoint> open = connections();
        long now = System.nanoTime();
        for (EndPoint connection : open) {
            if (isIdleForGrace(connection, now)) {
                LOG.log(Level.DEBUG, "closing connection idle for the grace period: {0}", connection);
                close(connection);
            }
        }
        if (quiet && open.isEmpty()) {
            LOG.log(Level.INFO, "drained: no connection left");
            drained.complete(null);
            return;
        }
        if (!server.isRunning()) {
            // Stopping the server closes what is left; nothing to sweep on.
            drained.complete(null);
            return;
        }
        try {
            server.getScheduler().schedule(this::sweep, tickMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The scheduler stopped with the server, which closed every connection.
            drained.complete(null);
        }
    }

    private boolean isIdleForGrace(EndPoint connection, long now) {
        if (state.isHandlingRequest(connection)) {
            return false;
        }
        long idleSince = state.drainStartNanos();
        if (connection instanceof IdleTimeout timeout) {
            idleSince = Math.max(idleSince, now - TimeUnit.MILLISECONDS.toNanos(timeout.getIdleFor()));
        }
        return now - idleSince >= graceNanos;
    }

    private static void close(EndPoint endPoint) {
        // Closing through the connection lets TLS send its close_notify.
        Connection connection = endPoint.getConnection();
        if (connection != null) {
            connection.close();
        } else {
            endPoint.close();
        }
    }

    private List<EndPoint> connections() {
        List<EndPoint> all = new ArrayList<>();
        for (Connector connector : server.getConnectors()) {
            all.addAll(connector.getConnectedEndPoints());
        }
        return all;
    }
}
