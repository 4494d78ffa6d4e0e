package dev.baton.jetty;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.spi.SelectorProvider;
import java.nio.channels.ServerSocketChannel;

/**
 * A second kernel handle on a listening socket, made in the test JVM with {@code dup(2)} through FFM:
 * it stands for the successor process that shares the listener during a handover.
 */
final class NativeSocket implements AutoCloseable {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle DUP = libc("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SHUTDOWN = libc("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL = libc("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle ACCEPT4 =
            libc("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final short POLLIN = 1;
    private static final int SHUT_RDWR = 2;
    private static final int SOCK_CLOEXEC = 0x80000;

    private final int fd;

    private NativeSocket(int fd) {
        this.fd = fd;
    }

    /** Duplicates the descriptor of the channel (needs {@code --add-opens java.base/sun.nio.ch}). */
    static NativeSocket dup(ServerSocketChannel channel) throws Throwable {
        int original = (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(channel);
        int copy = (int) DUP.invokeExact(original);
        if (copy < 0) {
            throw new IllegalStateException("dup(" + original + ") failed");
        }
        return new NativeSocket(copy);
    }

    /**
     * Duplicates the descriptor of the channel and adopts the copy as a second channel, as a successor
     * process adopts an inherited listener (needs {@code --add-opens java.base/sun.nio.ch}).
     */
    static ServerSocketChannel duplicateChannel(ServerSocketChannel channel) throws Throwable {
        NativeSocket copy = dup(channel);
        Class<?> impl = Class.forName("sun.nio.ch.ServerSocketChannelImpl");
        Constructor<?> constructor = impl.getDeclaredConstructor(
                SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class);
        constructor.setAccessible(true);
        Method newFd = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
        newFd.setAccessible(true);
        return (ServerSocketChannel) constructor.newInstance(
                SelectorProvider.provider(), StandardProtocolFamily.INET6, newFd.invoke(null, copy.fd), true);
    }

    /** Waits up to the timeout for a connection to accept, accepts it, and closes it at once. */
    boolean acceptOne(int timeoutMillis) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8);
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, POLLIN);
            int ready = (int) POLL.invokeExact(pollfd, 1L, timeoutMillis);
            if (ready != 1) {
                return false;
            }
        }
        int accepted = (int) ACCEPT4.invokeExact(fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
        if (accepted < 0) {
            return false;
        }
        int ignored = (int) CLOSE.invokeExact(accepted);
        return ignored == 0;
    }

    /** Calls {@code shutdown(fd, SHUT_RDWR)}: what a drain must never do to a shared listener. */
    void shutdown() throws Throwable {
        int result = (int) SHUTDOWN.invokeExact(fd, SHUT_RDWR);
        if (result != 0) {
            throw new IllegalStateException("shutdown(" + fd + ") failed");
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new IllegalStateException("close(" + fd + ") failed", e);
        }
    }

    @SuppressWarnings("restricted") // the tests run with --enable-native-access=ALL-UNNAMED
    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
