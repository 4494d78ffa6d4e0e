package dev.baton.grpc;

import io.grpc.Attributes;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts a server's open connections and calls, for the hammer's log line, and hands the health
 * service's {@code Watch} streams to the {@link DrainSignal} so that a drain ends them.
 *
 * <p>Installed on the builder both as a transport filter and as a server interceptor; thread-safe.
 */
final class CallTracker extends ServerTransportFilter implements ServerInterceptor {

    private static final Attributes.Key<Boolean> COUNTED = Attributes.Key.create("dev.baton.grpc.counted");

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final DrainSignal signal;

    CallTracker(DrainSignal signal) {
        this.signal = signal;
    }

    int openConnections() {
        return connections.get();
    }

    int openCalls() {
        return calls.get();
    }

    @Override
    public Attributes transportReady(Attributes transportAttrs) {
        connections.incrementAndGet();
        return transportAttrs.toBuilder().set(COUNTED, Boolean.TRUE).build();
    }

    @Override
    public void transportTerminated(Attributes transportAttrs) {
        // gRPC passes null, or attributes without the mark, for a transport that never became ready.
        if (transportAttrs != null && Boolean.TRUE.equals(transportAttrs.get(COUNTED))) {
            connections.decrementAndGet();
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ServerCall<Q, R> served = call;
        GoingAwayCall<Q, R> watch = null;
        if (call.getMethodDescriptor().getFullMethodName().equals(HealthGrpc.getWatchMethod().getFullMethodName())) {
            watch = new GoingAwayCall<>(call);
            served = watch;
        }
        calls.incrementAndGet();
        AtomicBoolean ended = new AtomicBoolean();
        GoingAwayCall<Q, R> tracked = watch;
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                calls.decrementAndGet();
                if (tracked != null) {
                    signal.remove(tracked);
                }
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(served, headers);
        } catch (RuntimeException e) {
            end.run();
            throw e;
        }
        if (watch != null) {
            signal.add(watch);
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                end.run();
                super.onComplete();
            }

            @Override
            public void onCancel() {
                end.run();
                super.onCancel();
            }
        };
    }
}
