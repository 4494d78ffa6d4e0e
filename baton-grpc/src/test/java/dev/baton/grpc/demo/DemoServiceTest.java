package dev.baton.grpc.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import dev.baton.grpc.BatonGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo service's answers, over a real connection. */
class DemoServiceTest {

    private ServerSocketChannel listener;
    private DemoService demo;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        BatonGrpc grpc = BatonGrpc.on(listener);
        demo = new DemoService(4711, 3, grpc.drainSignal());
        server = grpc.serverBuilder().addService(demo).build().start();
        grpc.manage(server).startAccepting();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", ((InetSocketAddress) listener.getLocalAddress()).getPort())
                .usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        demo.close();
        listener.close();
    }

    private static CallOptions deadline() {
        return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    void hello_answersPidGenerationAndGreeting() {
        DemoGrpc.Hello hello = DemoGrpc.Hello.of(
                ClientCalls.blockingUnaryCall(channel, DemoGrpc.HELLO, deadline(), DemoGrpc.helloRequest("baton")));

        assertThat(hello).isEqualTo(new DemoGrpc.Hello(4711, 3, "hello baton"));
    }

    @Test
    void ticks_withCount_sendsThatManyNumberedFromTheFirstAskedThenCompletes() {
        Iterator<Struct> ticks = ClientCalls.blockingServerStreamingCall(channel, DemoGrpc.TICKS, deadline(),
                DemoGrpc.ticksRequest(7, Duration.ofMillis(5), 4));

        List<DemoGrpc.Tick> received = Stream.iterate(ticks, Iterator::hasNext, i -> i).map(Iterator::next)
                .map(DemoGrpc.Tick::of).toList();

        assertThat(received).extracting(DemoGrpc.Tick::number).containsExactly(7L, 8L, 9L, 10L);
        assertThat(received).allMatch(tick -> tick.pid() == 4711 && tick.generation() == 3);
    }

    @Test
    void ticks_intervalZero_failsWithInvalidArgumentNamingTheInterval() {
        Iterator<Struct> ticks = ClientCalls.blockingServerStreamingCall(channel, DemoGrpc.TICKS, deadline(),
                DemoGrpc.ticksRequest(0, Duration.ZERO, 0));

        assertThatThrownBy(ticks::hasNext)
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("interval 0 ms");
    }
}
