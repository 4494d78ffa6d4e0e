package dev.baton.netty;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The two {@code fcntl(2)} calls the epoll transport needs on a listener's descriptor: a private
 * duplicate for Netty to own and close, and the O_NONBLOCK flag of the shared open file description.
 *
 * <p>{@code int fcntl(int fd, int cmd, ...)} is variadic; it is linked with its third argument as the
 * first variadic one. Errors name the call and the errno; {@code -1} never leaves this class.
 */
final class NativeDescriptors {

    static final int O_NONBLOCK = 0x800;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int EINTR = 4;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle FCNTL = link();

    private NativeDescriptors() {}

    /** A close-on-exec duplicate of {@code fd}: the same socket, with a descriptor number of its own. */
    static int duplicate(int fd) throws IOException {
        return fcntl(fd, F_DUPFD_CLOEXEC, 0, "F_DUPFD_CLOEXEC");
    }

    /** The status flags of the open file description behind {@code fd} (O_NONBLOCK, ...). */
    static int statusFlags(int fd) throws IOException {
        return fcntl(fd, F_GETFL, 0, "F_GETFL");
    }

    /** Sets O_NONBLOCK on the open file description behind {@code fd}, for every process holding it. */
    static void setNonBlocking(int fd) throws IOException {
        int flags = statusFlags(fd);
        if ((flags & O_NONBLOCK) == 0) {
            fcntl(fd, F_SETFL, flags | O_NONBLOCK, "F_SETFL O_NONBLOCK");
        }
    }

    private static int fcntl(int fd, int cmd, int arg, String what) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            while (true) {
                int result;
                try {
                    result = (int) FCNTL.invokeExact(state, fd, cmd, arg);
                } catch (Throwable t) {
                    throw new IllegalStateException("fcntl could not be called", t);
                }
                if (result >= 0) {
                    return result;
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (errno != EINTR) {
                    throw new IOException("fcntl(fd " + fd + ", " + what + ") failed: errno " + errno);
                }
            }
        }
    }

    @SuppressWarnings("restricted") // Baton's JVM flags grant native access (see module-info)
    private static MethodHandle link() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(
                linker.defaultLookup().find("fcntl").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(2));
    }
}
