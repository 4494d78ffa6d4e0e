package dev.baton.netty.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kernel-level views of a listening socket, for adapter tests: its descriptor, its O_NONBLOCK flag as
 * {@code /proc/self/fdinfo} reports it, and a second descriptor on it ({@code dup(2)}) that stands for
 * the successor generation sharing the socket during a handover.
 */
public final class SharedSocket implements AutoCloseable {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle DUP = libc("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL = libc("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle ACCEPT4 =
            libc("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final int O_NONBLOCK = 04000;
    private static final short POLLIN = 1;
    private static final int SOCK_CLOEXEC = 0x80000;

    private final int fd;

    private SharedSocket(int fd) {
        this.fd = fd;
    }

    /** A new TCP listener on 127.0.0.1, port 0, as the JDK makes it (blocking: O_NONBLOCK clear). */
    public static ServerSocketChannel loopbackListener() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return listener;
    }

    /** The port a listener is bound to. */
    public static int port(ServerSocketChannel listener) throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** The descriptor of a JDK channel (needs {@code --add-opens java.base/sun.nio.ch}). */
    public static int descriptor(ServerSocketChannel channel) {
        try {
            return (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the descriptor of " + channel
                    + " (run with --add-opens java.base/sun.nio.ch=ALL-UNNAMED)", e);
        }
    }

    /** Whether O_NONBLOCK is set on the open file description behind {@code fd}, read from /proc. */
    public static boolean isNonBlocking(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return (Integer.parseInt(line.substring("flags:".length()).strip(), 8) & O_NONBLOCK) != 0;
            }
        }
        throw new IOException("/proc/self/fdinfo/" + fd + " has no flags line");
    }

    /**
     * What descriptor {@code fd} of this process refers to, as {@code /proc/self/fd} shows it (such as
     * {@code socket:[12345]}, the socket's inode), or "" if it is not open.
     */
    public static String target(int fd) throws IOException {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        }
    }

    /** A second descriptor on the socket of {@code channel}, as a successor process holds. */
    public static SharedSocket duplicate(ServerSocketChannel channel) {
        int original = descriptor(channel);
        int copy;
        try {
            copy = (int) DUP.invokeExact(original);
        } catch (Throwable t) {
            throw new IllegalStateException("dup(" + original + ") could not be called", t);
        }
        if (copy < 0) {
            throw new IllegalStateException("dup(" + original + ") failed");
        }
        return new SharedSocket(copy);
    }

    /**
     * A second JDK channel on the socket of {@code channel} (over a {@code dup(2)} of its descriptor), as
     * a successor process adopts an inherited listener; in the JDK's blocking mode, as Baton hands
     * listeners out (needs {@code --add-opens java.base/sun.nio.ch}).
     */
    public static ServerSocketChannel adoptDuplicate(ServerSocketChannel channel) {
        SharedSocket copy = duplicate(channel);
        try {
            Class<?> impl = Class.forName("sun.nio.ch.ServerSocketChannelImpl");
            var constructor = impl.getDeclaredConstructor(java.nio.channels.spi.SelectorProvider.class,
                    java.net.ProtocolFamily.class, java.io.FileDescriptor.class, boolean.class);
            constructor.setAccessible(true);
            var newFd = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
            newFd.setAccessible(true);
            return (ServerSocketChannel) constructor.newInstance(java.nio.channels.spi.SelectorProvider.provider(),
                    java.net.StandardProtocolFamily.INET, newFd.invoke(null, copy.fd), true);
        } catch (ReflectiveOperationException e) {
            copy.close();
            throw new IllegalStateException("cannot adopt a duplicate of " + channel
                    + " (run with --add-opens java.base/sun.nio.ch=ALL-UNNAMED)", e);
        }
    }

    /** This copy's descriptor. */
    public int fd() {
        return fd;
    }

    /** Waits up to {@code timeoutMillis} for a connection in the queue, accepts it and closes it. */
    public boolean acceptOne(int timeoutMillis) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8);
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, POLLIN);
            if ((int) POLL.invokeExact(pollfd, 1L, timeoutMillis) != 1) {
                return false;
            }
        }
        int accepted = (int) ACCEPT4.invokeExact(fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
        return accepted >= 0 && (int) CLOSE.invokeExact(accepted) == 0;
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(" + fd + ") could not be called", t);
        }
    }

    @SuppressWarnings("restricted") // the tests run with --enable-native-access=ALL-UNNAMED
    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
