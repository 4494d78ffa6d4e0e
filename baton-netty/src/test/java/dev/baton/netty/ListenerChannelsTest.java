package dev.baton.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.netty.testing.NettyTestServer;
import dev.baton.netty.testing.SharedSocket;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How the adapter makes Netty server channels over listeners, and the O_NONBLOCK state it leaves. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerChannelsTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void serverChannel_blockingListener_sharedSocketIsNonBlockingForNettysLoop(Transport transport) throws Exception {
        try (ServerSocketChannel listener = SharedSocket.loopbackListener()) {
            int fd = SharedSocket.descriptor(listener);
            assertThat(SharedSocket.isNonBlocking(fd)).as("the JDK makes a blocking socket").isFalse();

            ServerChannel channel = BatonNetty.serverChannel(transport, listener, fd);
            try {
                assertThat(SharedSocket.isNonBlocking(fd)).as("the open file description every holder shares").isTrue();
                assertThat(listener.isBlocking()).as("the JDK channel Baton handed out keeps its mode")
                        .isEqualTo(transport == Transport.EPOLL);
            } finally {
                channel.unsafe().closeForcibly();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void afterHandover_successorsBlockingJdkAccept_waitsThenAcceptsOnTheNonBlockingSocket(Transport transport)
            throws Exception {
        try (NettyTestServer old = NettyTestServer.start(transport);
                ServerSocketChannel successor = SharedSocket.adoptDuplicate(old.listener)) {
            assertThat(old.drainer.drain()).succeedsWithin(Duration.ofSeconds(15));
            assertThat(SharedSocket.isNonBlocking(SharedSocket.descriptor(successor))).isTrue();
            assertThat(successor.isBlocking()).isTrue();

            CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return successor.accept();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !accepted.isDone());
            try (Socket client = new Socket("127.0.0.1", old.port)) {
                assertThat(client.isConnected()).isTrue();
                assertThat(accepted).succeedsWithin(Duration.ofSeconds(10)).isNotNull();
                accepted.join().close();
            }
        }
    }

    @Test
    void serverChannel_closedListener_refusedWithTheListenerNamed() throws Exception {
        ServerSocketChannel listener = SharedSocket.loopbackListener();
        listener.close();

        assertThatThrownBy(() -> BatonNetty.serverChannel(Transport.NIO, listener, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void manage_channelNotMadeByBaton_refusedSayingWhy() {
        NioServerSocketChannel foreign = new NioServerSocketChannel();
        try {
            assertThatThrownBy(() -> BatonNetty.manage(foreign))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("was not made by BatonNetty.serverChannel");
        } finally {
            foreign.unsafe().closeForcibly();
        }
    }

    @Test
    void epoll_isAvailableHere() {
        assertThat(Transport.EPOLL.unavailabilityCause()).isEmpty();
    }
}
