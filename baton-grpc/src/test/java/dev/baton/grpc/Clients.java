package dev.baton.grpc;

import dev.baton.grpc.demo.DemoGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.TimeUnit;

/** gRPC clients of the test servers, on real loopback connections. */
final class Clients {

    static final long DEADLINE_SECONDS = 10;

    private Clients() {}

    /** A channel with the default settings (retries, and so transparent retries, on). */
    static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    /** A channel that never retries, not even transparently. */
    static ManagedChannel channelWithoutRetry(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().disableRetry().build();
    }

    static DemoGrpc.Hello hello(ManagedChannel channel) {
        return DemoGrpc.Hello.of(ClientCalls.blockingUnaryCall(channel, DemoGrpc.HELLO, options(),
                DemoGrpc.helloRequest("test")));
    }

    static ServingStatus check(ManagedChannel channel) {
        return ClientCalls.blockingUnaryCall(channel, HealthGrpc.getCheckMethod(), options(),
                HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
