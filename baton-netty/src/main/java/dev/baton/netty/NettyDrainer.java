package dev.baton.netty;

import dev.baton.ManagedServer;
import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link ManagedServer} of a Netty server on Baton listeners: accepting starts when the
 * generation serves; a drain closes this process's copy of each listener, tells every connection
 * ({@link DrainEvent}), lets the protocol handlers of each pipeline close it once what is in flight is
 * done ({@link Http1DrainHandler}, {@link Http2DrainHandler}, {@link WebSocketDrainHandler}), and
 * completes when no connection is left.
 *
 * <p>Made by {@link BatonNetty#manage}. Thread-safe: every method may be called from any thread.
 * Netty's event loops do the work; the drainer never blocks one.
 */
public final class NettyDrainer implements ManagedServer {

    private static final Logger LOG = System.getLogger(NettyDrainer.class.getName());

    private final List<ServerChannel> listeners;
    private final List<ConnectionTracker> trackers;
    private final List<Runnable> drainListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    NettyDrainer(List<ServerChannel> listeners, List<ConnectionTracker> trackers) {
        this.listeners = List.copyOf(listeners);
        this.trackers = List.copyOf(trackers);
        for (ConnectionTracker tracker : trackers) {
            tracker.onChange(this::completeIfDrained);
        }
    }

    /**
     * Adds a hook run once when draining begins (on the thread that calls {@link #drain()}), for
     * work that is not a connection: stopping a scheduler, turning a readiness flag. Connections are
     * told through their pipelines ({@link DrainEvent}).
     */
    public void addDrainListener(Runnable listener) {
        drainListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Until then the server channels do not read, so connections wait in the listening socket's
     * queue, where the serving generation takes them. Does nothing once draining began.
     */
    @Override
    public void startAccepting() {
        setAutoRead(true);
    }

    /** Netty can: a server channel that does not read accepts nothing, and keeps its descriptor. */
    @Override
    public boolean canPauseAccepting() {
        return true;
    }

    /** {@inheritDoc} Turns the server channels' auto-read off; open connections are served on. */
    @Override
    public void pauseAccepting() {
        setAutoRead(false);
    }

    @Override
    public void resumeAccepting() {
        setAutoRead(true);
    }

    private void setAutoRead(boolean read) {
        if (!started.get()) {
            for (ServerChannel listener : listeners) {
                listener.config().setAutoRead(read);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Closing a Netty server channel closes its descriptor and never calls {@code shutdown()}, so
     * the successor sharing the socket goes on accepting. Calling it again returns the same future.
     */
    @Override
    public CompletableFuture<Void> drain() {
        if (!started.compareAndSet(false, true)) {
            return drained;
        }
        for (int i = 0; i < listeners.size(); i++) {
            trackers.get(i).startDraining(listeners.get(i));
        }
        LOG.log(Level.INFO, "draining: closing {0} listener(s), {1} connection(s) open",
                String.valueOf(listeners.size()), String.valueOf(openConnections()));
        for (Runnable listener : drainListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a drain listener failed; the drain goes on", e);
            }
        }
        completeIfDrained();
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
        for (ConnectionTracker tracker : trackers) {
            for (Channel connection : tracker.connections()) {
                if (connection.isOpen()) {
                    connection.close();
                    closed++;
                }
            }
        }
        LOG.log(Level.DEBUG, "hammer closed {0} connection(s)", closed);
        return closed;
    }

    /** How many connections the server holds. */
    public int openConnections() {
        int open = 0;
        for (ConnectionTracker tracker : trackers) {
            open += tracker.connections().size();
        }
        return open;
    }

    private void completeIfDrained() {
        if (!started.get() || drained.isDone()) {
            return;
        }
        for (ServerChannel listener : listeners) {
            if (!listener.closeFuture().isDone()) {
                return;
            }
        }
        if (openConnections() == 0 && drained.complete(null)) {
            LOG.log(Level.INFO, "drained: no connection left");
        }
    }
}
