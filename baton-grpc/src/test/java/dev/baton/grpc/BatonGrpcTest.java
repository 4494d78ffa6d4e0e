package dev.baton.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.grpc.demo.DemoGrpc;
import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gRPC server on a Baton listener: no second bind, accepting only when told, the shared socket kept. */
class BatonGrpcTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final Closer toClose = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        toClose.closeAll();
    }

    private Generation generation(int number, ServerSocketChannel listener, boolean accepting) throws Exception {
        Generation generation = new Generation(number, listener, accepting);
        toClose.add(generation);
        return generation;
    }

    private ManagedChannel channel(int port) {
        ManagedChannel channel = Clients.channel(port);
        toClose.add(() -> Clients.close(channel));
        return channel;
    }

    @Test
    void server_onBatonListener_servesOnItWithoutBindingAnotherSocket() throws Exception {
        ServerSocketChannel listener = SharedListener.bound();
        Generation generation = generation(1, listener, true);

        assertThat(List.<java.net.SocketAddress>copyOf(generation.server.getListenSockets()))
                .containsExactly(listener.getLocalAddress());
        DemoGrpc.Hello hello = Clients.hello(channel(SharedListener.port(listener)));
        assertThat(hello.generation()).isEqualTo(1);
        assertThat(hello.pid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void startAccepting_notYetCalled_connectionWaitsInTheQueue_thenAnswered() throws Exception {
        ServerSocketChannel listener = SharedListener.bound();
        Generation generation = generation(1, listener, false);
        ManagedChannel channel = channel(SharedListener.port(listener));

        CompletableFuture<DemoGrpc.Hello> hello = CompletableFuture.supplyAsync(() -> Clients.hello(channel));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !hello.isDone());
        generation.managed.startAccepting();

        assertThat(hello).succeedsWithin(WAIT).extracting(DemoGrpc.Hello::generation).isEqualTo(1);
    }

    @Test
    void drain_closesItsOwnCopyOnly_theSharedListenerStillAccepts() throws Throwable {
        ServerSocketChannel listener = SharedListener.bound();
        int port = SharedListener.port(listener);
        ServerSocketChannel otherHolder = SharedListener.anotherHolder(listener);
        toClose.add(otherHolder);
        Generation generation = generation(1, listener, true);
        Clients.hello(channel(port));
        generation.managed.stopping();

        assertThat(generation.managed.drain()).succeedsWithin(WAIT);

        assertThat(listener.isOpen()).as("the server's copy of the listener").isFalse();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                SocketChannel accepted = otherHolder.accept()) {
            assertThat(accepted.getRemoteAddress()).isEqualTo(client.getLocalSocketAddress());
        }
    }

    @Test
    void on_closedListener_throwsIllegalArgument() throws Exception {
        ServerSocketChannel listener = SharedListener.bound();
        listener.close();

        assertThatThrownBy(() -> BatonGrpc.on(listener))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is closed");
    }

    @Test
    void on_unixDomainListener_throwsIllegalArgumentNamingTcp() throws Exception {
        Path directory = Files.createTempDirectory("baton-grpc");
        Path path = directory.resolve("grpc.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(path));

            assertThatThrownBy(() -> BatonGrpc.on(listener))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TCP listeners only");
        } finally {
            Files.deleteIfExists(path);
            Files.delete(directory);
        }
    }

    @Test
    void on_noListener_throwsIllegalArgument() {
        assertThatThrownBy(BatonGrpc::on).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverBuilder_calledTwice_throwsIllegalState() throws Exception {
        try (ServerSocketChannel listener = SharedListener.bound()) {
            BatonGrpc grpc = BatonGrpc.on(listener);
            grpc.serverBuilder();

            assertThatThrownBy(grpc::serverBuilder).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("one BatonGrpc per server");
        }
    }

    @Test
    void manage_secondServer_throwsIllegalState() throws Exception {
        ServerSocketChannel listener = SharedListener.bound();
        Generation generation = generation(1, listener, true);

        assertThatThrownBy(() -> generation.grpc.manage(generation.server))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("managed already");
    }

    @Test
    void serverBuilder_extraListenAddress_startFailsNamingTheAddress() throws Exception {
        try (ServerSocketChannel listener = SharedListener.bound()) {
            BatonGrpc grpc = BatonGrpc.on(listener);
            io.grpc.Server server = grpc.serverBuilder()
                    .addListenAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build();

            assertThatThrownBy(server::start).hasStackTraceContaining("which is not one of the bound Baton listeners");
            server.shutdownNow();
        }
    }
}
