package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.grpc.demo.DemoGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** {@code demo-server --server grpc} as a real process, upgraded by SIGHUP while closed-loop clients call {@code Hello}. */
@Isolated // runs alone (junit-platform.properties): closed-loop gRPC calls across upgrades
class GrpcDemoServerTest {

    private static final int CLIENTS = 8;
    private static final int UPGRADES = 2;

    @TempDir
    Path directory;

    @Test
    void grpcServer_twoSighupUpgradesUnderHelloCalls_defaultSettings_noFailedCall_everyGenerationAnswers()
            throws Exception {
        try (DemoServerRun server = DemoServerRun.start(directory, "--server", "grpc")) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong calls = new AtomicLong();
            Map<String, Long> failures = new ConcurrentHashMap<>();
            Set<Integer> generations = ConcurrentHashMap.newKeySet();
            List<ManagedChannel> channels = new ArrayList<>();
            List<Thread> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port)
                            .usePlaintext().build(); // grpc-java's default settings otherwise
                    channels.add(channel);
                    clients.add(Thread.ofPlatform().name("hello-client-" + i).start(() -> {
                        while (running.get()) {
                            try {
                                generations.add(DemoGrpc.Hello.of(ClientCalls.blockingUnaryCall(channel,
                                        DemoGrpc.HELLO, options(), DemoGrpc.helloRequest("test"))).generation());
                            } catch (StatusRuntimeException e) {
                                failures.merge(e.getStatus().getCode() + ": " + e.getStatus().getDescription(), 1L,
                                        Long::sum);
                            }
                            calls.incrementAndGet();
                        }
                    }));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() > 100);
                assertThat(ClientCalls.blockingUnaryCall(channels.getFirst(), HealthGrpc.getCheckMethod(), options(),
                        HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
                for (int upgrade = 1; upgrade <= UPGRADES; upgrade++) {
                    server.upgradeBySighup();
                    int generation = upgrade + 1;
                    await("answers from generation " + generation).atMost(Duration.ofSeconds(30))
                            .until(() -> generations.contains(generation));
                }
            } finally {
                running.set(false);
                for (Thread client : clients) {
                    client.join(Duration.ofSeconds(20));
                }
                for (ManagedChannel channel : channels) {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }

            assertThat(failures).as("failed calls by status, of %d calls%nserver log:%n%s", calls.get(),
                    server.logText()).isEmpty();
            assertThat(generations).containsExactlyInAnyOrder(1, 2, 3);
        }
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
