package dev.baton.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a gRPC server's services learn of a drain: a hook that runs when draining begins, and a helper
 * that ends long-lived streams with {@code UNAVAILABLE} and a "going away" description then, so a
 * client calls again and lands on the serving generation instead of being cut at the drain timeout.
 *
 * <p>The drain runs the hooks and ends the tracked streams after this server has told every
 * connection to go away (HTTP/2 GOAWAY), so a client that calls again at once opens a new connection,
 * which the serving generation accepts. A stream tracked after draining began is ended at once.
 *
 * <p>Thread-safe.
 */
public final class DrainSignal {

    /** How the description of a going-away status begins; see {@link #isGoingAway(Status)}. */
    public static final String GOING_AWAY = "going away";

    /** The status a drain ends tracked streams with. */
    public static final Status GOING_AWAY_STATUS = Status.UNAVAILABLE.withDescription(
            GOING_AWAY + ": this server is draining; call again to reach the serving generation");

    private static final Logger LOG = System.getLogger(DrainSignal.class.getName());

    private final Set<GoAwayTarget> open = ConcurrentHashMap.newKeySet();
    private final List<Runnable> hooks = new ArrayList<>();
    private volatile boolean draining;

    DrainSignal() {}

    /** Whether a status is the going-away status of a drain: {@code UNAVAILABLE}, described "going away...". */
    public static boolean isGoingAway(Status status) {
        Objects.requireNonNull(status, "status");
        return status.getCode() == Status.Code.UNAVAILABLE && status.getDescription() != null
                && status.getDescription().startsWith(GOING_AWAY);
    }

    /** Whether draining has begun. */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Adds a hook that runs once when draining begins (at once, on this thread, if it has begun), on
     * Baton's drain thread; it must return quickly, and what it throws is logged and ignored.
     *
     * @throws NullPointerException if {@code hook} is null
     */
    public void onDraining(Runnable hook) {
        Objects.requireNonNull(hook, "hook");
        synchronized (hooks) {
            if (!draining) {
                hooks.add(hook);
                return;
            }
        }
        run(hook);
    }

    /**
     * Tracks the response stream of a server-streaming or bidirectional call: the returned observer
     * forwards to it, may be called from any thread, and is ended with {@link #GOING_AWAY_STATUS} when
     * draining begins. Call it in the service method, before it returns (it installs the call's
     * cancel handler, which gRPC allows only then).
     *
     * @param responseObserver the observer gRPC passed to the service method
     * @throws NullPointerException if {@code responseObserver} is null
     * @throws IllegalArgumentException if it is not a server call's observer
     */
    public <T> GoingAwayStream<T> track(StreamObserver<T> responseObserver) {
        Objects.requireNonNull(responseObserver, "responseObserver");
        if (!(responseObserver instanceof ServerCallStreamObserver<T> serverObserver)) {
            throw new IllegalArgumentException("track takes the response observer gRPC passes to a service method,"
                    + " not " + responseObserver.getClass().getName());
        }
        GoingAwayStream<T> stream = new GoingAwayStream<>(serverObserver, open::remove);
        add(stream);
        return stream;
    }

    /** Ends a call when draining begins, or at once if it has begun. */
    void add(GoAwayTarget target) {
        open.add(target);
        if (draining) {
            open.remove(target);
            target.goAway(GOING_AWAY_STATUS);
        }
    }

    void remove(GoAwayTarget target) {
        open.remove(target);
    }

    /** Begins draining: ends every tracked call with the going-away status, then runs the hooks. */
    int drain() {
        List<Runnable> toRun;
        synchronized (hooks) {
            draining = true;
            toRun = List.copyOf(hooks);
            hooks.clear();
        }
        int ended = 0;
        for (GoAwayTarget target : List.copyOf(open)) {
            open.remove(target);
            target.goAway(GOING_AWAY_STATUS);
            ended++;
        }
        toRun.forEach(DrainSignal::run);
        return ended;
    }

    private static void run(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "drain hook " + hook + " failed", e);
        }
    }
}
