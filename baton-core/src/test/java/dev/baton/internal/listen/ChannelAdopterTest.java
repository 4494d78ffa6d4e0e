package dev.baton.internal.listen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.internal.os.Descriptors;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChannelAdopter} turning a duplicated listening descriptor into a working channel. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelAdopterTest {

    @TempDir
    Path temp;

    @Test
    void adopt_tcpListenerDescriptor_reportsTheSameAddressAndAccepts() throws IOException {
        try (ServerSocketChannel original = ServerSocketChannel.open()) {
            original.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int copy = Descriptors.duplicate(ChannelAdopter.descriptorOf(original), 10);

            try (ServerSocketChannel adopted = ChannelAdopter.adopt(copy, false)) {
                assertThat(ChannelAdopter.descriptorOf(adopted)).isEqualTo(copy);
                assertThat(adopted.getLocalAddress()).isEqualTo(original.getLocalAddress());
                assertAccepts(adopted, original.getLocalAddress());
            }

            assertThat(Descriptors.isOpen(copy)).as("closing the adopted channel closes its descriptor").isFalse();
            assertAccepts(original, original.getLocalAddress());
        }
    }

    @Test
    void adopt_wildcardDualStackListener_acceptsIpv4() throws IOException {
        try (ServerSocketChannel original = ServerSocketChannel.open()) {
            original.bind(new InetSocketAddress(0));
            int port = ((InetSocketAddress) original.getLocalAddress()).getPort();

            try (ServerSocketChannel adopted =
                    ChannelAdopter.adopt(Descriptors.duplicate(ChannelAdopter.descriptorOf(original), 10), false)) {
                assertThat(adopted.getLocalAddress()).isEqualTo(original.getLocalAddress());
                assertAccepts(adopted, new InetSocketAddress("127.0.0.1", port));
            }
        }
    }

    @Test
    void adopt_unixListenerDescriptor_reportsTheSamePathAndAccepts() throws IOException {
        Path path = temp.resolve("http.sock");
        try (ServerSocketChannel original = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            original.bind(UnixDomainSocketAddress.of(path));
            int copy = Descriptors.duplicate(ChannelAdopter.descriptorOf(original), 10);

            try (ServerSocketChannel adopted = ChannelAdopter.adopt(copy, true)) {
                assertThat(adopted.getLocalAddress()).isEqualTo(UnixDomainSocketAddress.of(path));
                assertAccepts(adopted, UnixDomainSocketAddress.of(path));
            }
        }
    }

    private static void assertAccepts(ServerSocketChannel channel, java.net.SocketAddress address) throws IOException {
        try (SocketChannel client = SocketChannel.open(address);
                SocketChannel connection = channel.accept()) {
            client.write(ByteBuffer.wrap(new byte[] {7}));
            ByteBuffer one = ByteBuffer.allocate(1);
            connection.read(one);
            assertThat(one.array()).containsExactly(7);
        }
    }
}
