package dev.baton.internal.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.ListenAddress;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Sockets;
import dev.baton.testing.OpenDescriptors;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link ListenerBinder} binding real TCP and Unix sockets, and its errors. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ListenerBinderTest {

    private static final int BACKLOG = 16;
    private static final int O_NONBLOCK = 04000;

    @TempDir
    Path temp;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private ServerSocketChannel bind(String address) throws IOException {
        return track(ListenerBinder.bind("http", ListenAddress.parse(address), BACKLOG));
    }

    @Test
    void bind_loopbackPortZero_listensOnAKernelChosenPort() throws IOException {
        ServerSocketChannel channel = bind("127.0.0.1:0");

        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        assertThat(local.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(local.getPort()).isPositive();
        assertAccepts(channel, local);
    }

    @Test
    void bind_wildcard_acceptsOnLoopback() throws IOException {
        ServerSocketChannel channel = bind(":0");

        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        assertThat(local.getAddress().isAnyLocalAddress()).isTrue();
        assertAccepts(channel, new InetSocketAddress(InetAddress.getLoopbackAddress(), local.getPort()));
    }

    @Test
    void bind_ipv6Loopback_listensOnIpv6() throws IOException {
        Assumptions.assumeTrue(hasLocalAddress(InetAddress.getByName("::1")), "this machine has no ::1");

        ServerSocketChannel channel = bind("[::1]:0");

        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        assertThat(local.getAddress()).isEqualTo(InetAddress.getByName("::1"));
        assertAccepts(channel, local);
    }

    @Test
    void bind_hostName_resolvesIt() throws IOException {
        ServerSocketChannel channel = bind("localhost:0");

        assertThat(((InetSocketAddress) channel.getLocalAddress()).getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void bind_portInUse_refusedNamingTheHoldersPidAndCommandLine() throws IOException {
        try (ServerSocket holder = new ServerSocket()) {
            holder.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = holder.getLocalPort();
            Map<Integer, String> before = OpenDescriptors.snapshot();

            assertThatThrownBy(() -> bind("127.0.0.1:" + port))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot listen on http=127.0.0.1:" + port + ": ")
                    .hasMessageContaining("(held by pid " + ProcessHandle.current().pid() + " (")
                    .hasMessageContaining("java")
                    .hasMessageEndingWith("; stop it or choose another port)");
            assertThat(OpenDescriptors.openedSince(before)).isEmpty();
        }
    }

    @Test
    void bind_portInUseByABoundSocketThatDoesNotListen_saysItsHolderIsNotVisible() throws IOException {
        try (SocketChannel bound = SocketChannel.open()) {
            bound.bind(new InetSocketAddress("127.0.0.1", 0)); // bound, not listening: no LISTEN row names it
            int port = ((InetSocketAddress) bound.getLocalAddress()).getPort();

            assertThatThrownBy(() -> bind("127.0.0.1:" + port))
                    .isInstanceOf(IOException.class)
                    .hasMessageEndingWith("(its holder is not visible to this user; stop it or choose another port)");
        }
    }

    @Test
    void bind_addressNotOnThisMachine_refusedSayingSo() throws IOException {
        String foreign = null;
        for (String candidate : List.of("192.0.2.1", "198.51.100.1", "203.0.113.1")) { // documentation ranges
            if (!hasLocalAddress(InetAddress.getByName(candidate))) {
                foreign = candidate;
                break;
            }
        }
        Assumptions.assumeTrue(foreign != null, "every documentation address is on this machine");
        String address = foreign + ":0";

        assertThatThrownBy(() -> bind(address))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot listen on http=" + address + ": ")
                .hasMessageEndingWith("(this machine has no such address)");
    }

    @Test
    void bind_unknownHost_refusedNamingTheHost() {
        assertThatThrownBy(() -> bind("no-such-host.invalid:80"))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot listen on http=no-such-host.invalid:80: unknown host 'no-such-host.invalid'; "
                        + "use an IP address or a name this machine resolves");
    }

    @Test
    void bind_boundSocket_isNonBlockingAtFileLevelWhileTheChannelIsInBlockingMode() throws IOException {
        for (ServerSocketChannel channel : List.of(bind("127.0.0.1:0"), bind("unix:" + temp.resolve("a.sock")))) {
            int fd = ChannelAdopter.descriptorOf(channel);

            assertThat(OpenDescriptors.fileStatusFlags(fd) & O_NONBLOCK).as("O_NONBLOCK on fd %d", fd).isNotZero();
            assertThat(channel.isBlocking()).isTrue();
        }
    }

    @Test
    void bind_acceptCalledBeforeAnyConnection_waitsDespiteONonblockThenAccepts() throws Exception {
        ServerSocketChannel channel = bind("127.0.0.1:0");
        ExecutorService acceptor = Executors.newSingleThreadExecutor();
        toClose.add(acceptor::shutdownNow);

        CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return channel.accept();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, acceptor);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !accepted.isDone());
        try (SocketChannel client = SocketChannel.open(channel.getLocalAddress())) {
            SocketChannel connection = track(accepted.get(5, TimeUnit.SECONDS));
            assertThat(connection.getRemoteAddress()).isEqualTo(client.getLocalAddress());
        }
    }

    @Test
    void bind_unixPath_listensAndAccepts() throws IOException {
        Path path = temp.resolve("http.sock");

        ServerSocketChannel channel = bind("unix:" + path);

        assertThat(channel.getLocalAddress()).isEqualTo(UnixDomainSocketAddress.of(path));
        assertAccepts(channel, UnixDomainSocketAddress.of(path));
    }

    @Test
    void bind_unixPathInMissingDirectory_refusedNamingTheDirectory() {
        Path path = temp.resolve("missing/http.sock");

        assertThatThrownBy(() -> bind("unix:" + path))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot listen on http=unix:" + path + ": the directory " + path.getParent()
                        + " does not exist");
    }

    @Test
    void bind_staleUnixSocketFile_replacesIt() throws IOException {
        Path path = temp.resolve("http.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists(); // closing does not remove the socket file, as after a crash

        ServerSocketChannel channel = bind("unix:" + path);

        assertAccepts(channel, UnixDomainSocketAddress.of(path));
    }

    @Test
    void bind_liveUnixSocket_refusedAndLeftListening() throws IOException {
        Path path = temp.resolve("http.sock");
        ServerSocketChannel live = bind("unix:" + path);

        assertThatThrownBy(() -> bind("unix:" + path))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot listen on http=unix:" + path + ": another process is listening on " + path
                        + "; stop it or choose another path");

        track(live.accept()).close(); // the probe's connection
        assertAccepts(live, UnixDomainSocketAddress.of(path));
    }

    @Test
    void bind_unixPathHeldByALiveSocketOfAnotherType_refusedNamingTheListener() throws IOException {
        Path path = temp.resolve("http.sock");
        int control = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        toClose.add(() -> Descriptors.close(control));
        Sockets.bind(control, path);
        Sockets.listen(control, 4);

        assertThatThrownBy(() -> bind("unix:" + path))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot listen on http=unix:" + path + ": ");
        assertThat(Sockets.isListening(control)).isTrue();
    }

    @Test
    void bind_unixPathIsARegularFile_refusedAndLeavesTheFile() throws IOException {
        Path path = Files.writeString(temp.resolve("http.sock"), "precious");

        assertThatThrownBy(() -> bind("unix:" + path))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot listen on http=unix:" + path + ": " + path
                        + " exists and is not a socket; remove it or choose another path");
        assertThat(path).hasContent("precious");
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    /** Connects to {@code address} and accepts through {@code channel}; one byte goes through. */
    private static void assertAccepts(ServerSocketChannel channel, java.net.SocketAddress address) throws IOException {
        try (SocketChannel client = SocketChannel.open(address);
                SocketChannel connection = channel.accept()) {
            client.write(java.nio.ByteBuffer.wrap(new byte[] {9}));
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            connection.read(one);
            assertThat(one.array()).containsExactly(9);
        }
    }

    private static boolean hasLocalAddress(InetAddress address) throws SocketException {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .anyMatch(address::equals);
    }
}
