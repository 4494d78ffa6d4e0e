package dev.baton.grpc;

import com.google.protobuf.StringValue;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A test service whose unary {@code Hold} answers only once {@link #release()} is called, for calls
 * that stay in flight across a drain. Tests call it with a hand-made descriptor, as the demo does.
 */
final class HoldService implements BindableService, AutoCloseable {

    static final MethodDescriptor<StringValue, StringValue> HOLD =
            MethodDescriptor.<StringValue, StringValue>newBuilder()
                    .setType(MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName("baton.test.Hold", "Hold"))
                    .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
                    .build();

    final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final ExecutorService waiter = Executors.newCachedThreadPool();
    private final String name;

    HoldService(String name) {
        this.name = name;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder("baton.test.Hold")
                .addMethod(HOLD, ServerCalls.asyncUnaryCall((request, response) -> {
                    entered.countDown();
                    waiter.execute(() -> {
                        try {
                            if (released.await(30, TimeUnit.SECONDS)) {
                                response.onNext(StringValue.of(name));
                                response.onCompleted();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (RuntimeException e) {
                            // Cut by the hammer in the meantime: nothing to answer.
                        }
                    });
                }))
                .build();
    }

    void release() {
        released.countDown();
    }

    @Override
    public void close() {
        release();
        waiter.shutdownNow();
    }
}
