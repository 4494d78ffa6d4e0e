package dev.baton.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The response stream of a long-lived call, as {@link DrainSignal#track} returns it: a thread-safe
 * {@link StreamObserver} that ends with {@link DrainSignal#GOING_AWAY_STATUS} when its server drains.
 *
 * <p>Once the stream has ended (completed, failed, cancelled by the client, or ended by a drain),
 * further calls do nothing; {@link #isOpen()} says so, and {@link #whenClosed} hooks run once.
 */
public final class GoingAwayStream<T> implements StreamObserver<T>, GoAwayTarget {

    private final ServerCallStreamObserver<T> delegate;
    private final Consumer<GoingAwayStream<T>> untrack;
    private final List<Runnable> closeHooks = new ArrayList<>();
    private boolean open = true;

    GoingAwayStream(ServerCallStreamObserver<T> delegate, Consumer<GoingAwayStream<T>> untrack) {
        this.delegate = delegate;
        this.untrack = untrack;
        delegate.setOnCancelHandler(this::cancelled);
    }

    /** Whether the stream can still send: not completed, failed, cancelled or ended by a drain. */
    public synchronized boolean isOpen() {
        return open;
    }

    /**
     * Adds a hook that runs once when the stream ends, for whatever reason (at once if it has), for
     * example to stop the task that feeds it. It runs on the thread that ended the stream.
     */
    public void whenClosed(Runnable hook) {
        Objects.requireNonNull(hook, "hook");
        synchronized (this) {
            if (open) {
                closeHooks.add(hook);
                return;
            }
        }
        hook.run();
    }

    @Override
    public synchronized void onNext(T value) {
        if (open) {
            delegate.onNext(value);
        }
    }

    @Override
    public void onError(Throwable t) {
        end(() -> delegate.onError(t));
    }

    @Override
    public void onCompleted() {
        end(delegate::onCompleted);
    }

    /**
     * Ends the stream with {@code status} (a drain passes {@link DrainSignal#GOING_AWAY_STATUS}) unless
     * it has ended; never throws.
     */
    @Override
    public void goAway(Status status) {
        Objects.requireNonNull(status, "status");
        end(() -> {
            try {
                delegate.onError(status.asRuntimeException());
            } catch (RuntimeException e) {
                // The call ended underneath (the application closed gRPC's observer itself): nothing to end.
            }
        });
    }

    private void cancelled() {
        end(() -> {});
    }

    private void end(Runnable last) {
        List<Runnable> hooks;
        synchronized (this) {
            if (!open) {
                return;
            }
            open = false;
            last.run();
            hooks = List.copyOf(closeHooks);
            closeHooks.clear();
        }
        untrack.accept(this);
        hooks.forEach(Runnable::run);
    }
}
