package dev.baton.jetty;

import dev.baton.ManagedServer;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.core.WebSocketConnection;

/**
 * The {@link ManagedServer} of a Jetty server: stops accepting, runs the drain hooks, lets requests
 * finish, and completes when the server holds no connection. Each connection ends the way its protocol
 * allows without an error: HTTP/1.x after answering with {@code Connection: close} or staying idle for
 * the grace period; HTTP/2 through the two-step GOAWAY ({@link Http2GoAway}); WebSocket with a close
 * frame 1001 sent by {@link WebSocketDrain} to the sessions it tracks (an untracked WebSocket connection
 * waits for the hammer).
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
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile Http2GoAway http2;

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

    /** Jetty can: its acceptors wait while the connectors keep their channels ({@link #pauseAccepting()}). */
    @Override
    public boolean canPauseAccepting() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Jetty's {@code AbstractConnector.setAccepting(false)}: an acceptor already blocked in {@code accept}
     * may still take one connection, which is served like any other.
     */
    @Override
    public void pauseAccepting() {
        if (!started.get()) {
            setAccepting(false);
        }
    }

    @Override
    public void resumeAccepting() {
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

    /** Adds a hook run when draining begins; run at once if draining already began. */
    void onDrain(Runnable hook) {
        hooks.add(hook);
        if (started.get()) {
            runHook(hook);
        }
    }

    long idleGraceMillis() {
        return TimeUnit.NANOSECONDS.toMillis(graceNanos);
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
        http2 = new Http2GoAway(server.getScheduler(), Math.max(100, idleGraceMillis()));
        if (server.getDescendant(DrainHandler.class) == null) {
            LOG.log(Level.WARNING, "the drain handler is no longer below {0} (was its handler replaced after"
                    + " the drainer was created?); requests on kept-alive connections will not get Connection: close",
                    server);
        }
        LOG.log(Level.INFO, "draining: closed {0} listener(s), {1} connection(s) open, idle grace {2} ms",
                String.valueOf(listeners), String.valueOf(connections().size()),
                String.valueOf(TimeUnit.NANOSECONDS.toMillis(graceNanos)));
        for (Runnable hook : hooks) {
            // A hook added while this loop runs may run twice (here and in onDrain): hooks are told "draining began".
            runHook(hook);
        }
        sweep();
        return drained;
    }

    private static void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a drain hook failed; draining goes on: " + hook, e);
        }
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
            switch (application(connection.getConnection())) {
                case HTTP2Connection h2 -> {
                    http2.start(h2.getSession());
                    if (http2.isDone(h2.getSession(), now, graceNanos)) {
                        LOG.log(Level.DEBUG, "closing HTTP/2 connection idle after its final GOAWAY: {0}", connection);
                        close(connection);
                    }
                }
                case WebSocketConnection ignored -> {
                    // WebSocketDrain closes tracked sessions with 1001; an untracked one waits for the hammer.
                }
                case null, default -> {
                    if (isIdleForGrace(connection, now)) {
                        LOG.log(Level.DEBUG, "closing connection idle for the grace period: {0}", connection);
                        close(connection);
                    }
                }
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

    /** The connection that speaks the application protocol: below TLS, the decrypted one. */
    private static Connection application(Connection connection) {
        Connection application = connection;
        while (application instanceof SslConnection tls) {
            application = tls.getSslEndPoint().getConnection();
        }
        return application;
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
