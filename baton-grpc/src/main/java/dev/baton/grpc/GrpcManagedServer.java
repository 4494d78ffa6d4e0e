package dev.baton.grpc;

import dev.baton.LifecycleListener;
import dev.baton.ManagedServer;
import dev.baton.UpgradeResult;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.channel.EventLoopGroup;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link ManagedServer} of a gRPC server on Baton listeners, as {@link BatonGrpc#manage} returns
 * it; it is also a {@link LifecycleListener}, to learn whether a drain hands the service over or ends it.
 *
 * <p>A drain: at a final stop, first turns every health status NOT_SERVING (during a handover the
 * health service goes on answering SERVING: the service never stops being ready); closes this server's
 * copy of the listeners (never {@code shutdown()}, so the successor goes on accepting on them); calls
 * {@link Server#shutdown()}, which sends each connection grpc-java's two-step GOAWAY (the first with
 * the highest stream id and a PING, the second with the last stream id seen once the PING is
 * answered), so that no call the client has already sent is refused; lets the calls in flight finish;
 * ends the streams tracked by the {@link DrainSignal} with UNAVAILABLE "going away" and runs its hooks;
 * and completes once the server has terminated. The hammer is {@link Server#shutdownNow()}, logged
 * with the count of calls and connections it cut.
 *
 * <p>Thread-safe; {@link #drain()} and {@link #hammer()} may be called from any thread, more than once.
 */
public final class GrpcManagedServer implements ManagedServer, LifecycleListener {

    private static final Logger LOG = System.getLogger(GrpcManagedServer.class.getName());

    private final Server server;
    private final ListenerChannels channels;
    private final CallTracker tracker;
    private final DrainSignal signal;
    private final HealthStatusManager health;
    private final List<EventLoopGroup> eventLoops;
    private final DrainCause cause = new DrainCause();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    GrpcManagedServer(Server server, ListenerChannels channels, CallTracker tracker, DrainSignal signal,
            HealthStatusManager health, List<EventLoopGroup> eventLoops) {
        this.server = server;
        this.channels = channels;
        this.tracker = tracker;
        this.signal = signal;
        this.health = health;
        this.eventLoops = List.copyOf(eventLoops);
    }

    /** The server this drains. */
    public Server server() {
        return server;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Until then the server channels do not read (Netty's auto-read is off) and connections wait in
     * the listening sockets' queue, where the serving generation takes them.
     */
    @Override
    public void startAccepting() {
        channels.startAccepting();
    }

    /** gRPC on Baton's channels can: a server channel that does not read accepts nothing. */
    @Override
    public boolean canPauseAccepting() {
        return true;
    }

    @Override
    public void pauseAccepting() {
        channels.pauseAccepting(true);
    }

    @Override
    public void resumeAccepting() {
        channels.pauseAccepting(false);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Calling it again returns the same future.
     */
    @Override
    public CompletableFuture<Void> drain() {
        if (!draining.compareAndSet(false, true)) {
            return drained;
        }
        Executor drainThread = task -> Thread.ofPlatform().name("baton-grpc-drain").daemon().start(task);
        cause.atDrain()
                .thenComposeAsync(finalStop -> {
                    if (finalStop) {
                        health.enterTerminalState();
                    }
                    LOG.log(Level.INFO, "draining ({0}): health {1}; closing {2} listener(s), {3} connection(s) open",
                            finalStop ? "final stop" : "handover", finalStop ? "NOT_SERVING" : "stays SERVING",
                            channels.size(), tracker.openConnections());
                    return channels.stopAccepting();
                }, drainThread)
                .thenRunAsync(() -> {
                    server.shutdown();
                    int ended = signal.drain();
                    LOG.log(Level.INFO, "sent GOAWAY; ended {0} long-lived stream(s) with {1}; {2} call(s) in flight",
                            ended, DrainSignal.GOING_AWAY, tracker.openCalls());
                    awaitTermination();
                }, drainThread)
                .whenComplete((v, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "the gRPC drain failed; shutting the server down at once", failure);
                        server.shutdownNow();
                        drainThread.execute(this::awaitTermination);
                    }
                });
        return drained;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Starts draining first if {@link #drain()} was not called. The count returned is of
     * connections; the log line also says how many calls were cut.
     */
    @Override
    public int hammer() {
        drain();
        int connections = tracker.openConnections();
        int calls = tracker.openCalls();
        server.shutdownNow();
        LOG.log(Level.WARNING, "hammer: shutdownNow cut {0} call(s) on {1} connection(s)", calls, connections);
        return connections;
    }

    /** Takes a successful upgrade as the sign that the drain to come is a handover. */
    @Override
    public void upgradeEnded(UpgradeResult result) {
        if (result.outcome() == UpgradeResult.Outcome.SUCCEEDED) {
            cause.successorServing();
        }
    }

    /** The core says a final stop began: health turns NOT_SERVING with the drain that follows. */
    @Override
    public void stopping(int generation) {
        stopping();
    }

    /**
     * Says that the drain to come ends the service rather than hands it over, so that health turns
     * NOT_SERVING when it begins. The core says so itself through {@link #stopping(int)} when the server
     * is registered with {@link BatonGrpc#register}; call this from a stop path of your own otherwise
     * (a drain without a successful upgrade before it is taken for a final stop anyway, a second after
     * it began).
     */
    public void stopping() {
        cause.stopping();
    }

    private void awaitTermination() {
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (EventLoopGroup group : eventLoops) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (drained.complete(null)) {
            LOG.log(Level.INFO, "drained: the gRPC server has terminated");
        }
    }
}
