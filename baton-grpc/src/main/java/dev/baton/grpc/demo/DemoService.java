package dev.baton.grpc.demo;

import com.google.protobuf.Struct;
import com.google.protobuf.StringValue;
import dev.baton.grpc.DrainSignal;
import dev.baton.grpc.GoingAwayStream;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo gRPC service ({@link DemoGrpc}): {@code Hello} answers this process's pid and generation;
 * {@code Ticks} streams numbered ticks until the client cancels, the count is reached, or the server
 * drains, when the stream ends with UNAVAILABLE "going away" and the client asks the serving
 * generation for the ticks after the last it saw.
 *
 * <p>Ticks are sent from one daemon thread of its own; {@link #close()} stops it.
 */
public final class DemoService implements BindableService, AutoCloseable {

    /** The longest tick interval a request may ask for. */
    public static final Duration MAX_INTERVAL = Duration.ofMinutes(1);

    private final long pid;
    private final int generation;
    private final DrainSignal drainSignal;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            task -> Thread.ofPlatform().name("demo-ticks").daemon().unstarted(task));

    /**
     * @param pid the pid {@code Hello} and the ticks report
     * @param generation the generation they report
     * @param drainSignal the drain signal of the server the service runs on, which ends its tick streams
     */
    public DemoService(long pid, int generation, DrainSignal drainSignal) {
        this.pid = pid;
        this.generation = generation;
        this.drainSignal = Objects.requireNonNull(drainSignal, "drainSignal");
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder(DemoGrpc.SERVICE_NAME)
                .addMethod(DemoGrpc.HELLO, ServerCalls.asyncUnaryCall(this::hello))
                .addMethod(DemoGrpc.TICKS, ServerCalls.asyncServerStreamingCall(this::ticks))
                .build();
    }

    private void hello(StringValue name, StreamObserver<Struct> response) {
        String greeting = "hello " + (name.getValue().isEmpty() ? "there" : name.getValue());
        response.onNext(new DemoGrpc.Hello(pid, generation, greeting).toMessage());
        response.onCompleted();
    }

    private void ticks(Struct request, StreamObserver<Struct> response) {
        long from = DemoGrpc.longField(request, DemoGrpc.FROM);
        long intervalMillis = DemoGrpc.longField(request, DemoGrpc.INTERVAL_MILLIS);
        long count = DemoGrpc.longField(request, DemoGrpc.COUNT);
        if (from < 0 || count < 0 || intervalMillis < 1 || intervalMillis > MAX_INTERVAL.toMillis()) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("Ticks needs from >= 0, count >= 0 and an"
                    + " interval of 1 ms to " + MAX_INTERVAL.toMillis() + " ms; got from " + from + ", count " + count
                    + ", interval " + intervalMillis + " ms").asRuntimeException());
            return;
        }
        GoingAwayStream<Struct> stream = drainSignal.track(response);
        AtomicLong next = new AtomicLong(from);
        ScheduledFuture<?> task = ticker.scheduleAtFixedRate(() -> {
            long number = next.getAndIncrement();
            stream.onNext(new DemoGrpc.Tick(number, pid, generation).toMessage());
            if (count > 0 && number - from + 1 >= count) {
                stream.onCompleted();
            }
        }, 0, intervalMillis, TimeUnit.MILLISECONDS);
        stream.whenClosed(() -> task.cancel(false));
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
