package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.LONG;
import static dev.baton.internal.os.LibC.POINTER;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * Socket calls the JDK does not offer: Unix sockets with descriptor passing and peer credentials,
 * and the facts of a descriptor received from elsewhere (family, type, whether it listens).
 */
public final class Sockets {

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_SEQPACKET = 5;

    /** {@code MSG_NOSIGNAL}: a send to a peer that is gone fails with EPIPE instead of raising SIGPIPE. */
    static final int MSG_NOSIGNAL = 0x4000;

    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_PEERCRED = 17;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDTIMEO = 21;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_DOMAIN = 39;
    private static final int SOCKADDR_UN_SIZE = 110;
    private static final int SUN_PATH_MAX = 107; // 108 bytes with the terminating NUL

    private static final MethodHandle SOCKET = LibC.function("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = LibC.function("bind", FunctionDescriptor.of(INT, INT, POINTER, INT));
    private static final MethodHandle LISTEN = LibC.function("listen", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle ACCEPT4 =
            LibC.function("accept4", FunctionDescriptor.of(INT, INT, POINTER, POINTER, INT));
    private static final MethodHandle CONNECT = LibC.function("connect", FunctionDescriptor.of(INT, INT, POINTER, INT));
    private static final MethodHandle GETSOCKOPT =
            LibC.function("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, POINTER, POINTER));
    private static final MethodHandle SETSOCKOPT =
            LibC.function("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, POINTER, INT));
    private static final MethodHandle GETSOCKNAME =
            LibC.function("getsockname", FunctionDescriptor.of(INT, INT, POINTER, POINTER));
    private static final MethodHandle SOCKETPAIR =
            LibC.function("socketpair", FunctionDescriptor.of(INT, INT, INT, INT, POINTER));

    private Sockets() {}

    /** A new close-on-exec Unix socket of {@code type} ({@link #SOCK_SEQPACKET}, ...). */
    public static int newUnixSocket(int type) throws SystemCallException {
        return (int) SystemCall.call("socket(AF_UNIX)", SOCKET, AF_UNIX, type | SOCK_CLOEXEC, 0);
    }

    /** A connected pair of close-on-exec Unix sockets of {@code type}. */
    public static int[] newUnixSocketPair(int type) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(INT, 2);
            SystemCall.call("socketpair(AF_UNIX)", SOCKETPAIR, AF_UNIX, type | SOCK_CLOEXEC, 0, pair);
            return new int[] {pair.getAtIndex(INT, 0), pair.getAtIndex(INT, 1)};
        }
    }

    public static void bind(int fd, Path path) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = unixAddress(arena, path);
            SystemCall.call("bind(" + path + ")", BIND, fd, address, (int) address.byteSize());
        }
    }

    public static void listen(int fd, int backlog) throws SystemCallException {
        SystemCall.call("listen(fd " + fd + ")", LISTEN, fd, backlog);
    }

    /**
     * Accepts a connection as a new close-on-exec descriptor; blocks unless the socket is non-blocking.
     *
     * @return the connection, or empty if none was waiting (EAGAIN on a non-blocking socket: another
     *     holder of a shared socket took it first)
     */
    public static OptionalInt accept(int fd) throws SystemCallException {
        try {
            return OptionalInt.of((int) SystemCall.call("accept4(fd " + fd + ")", ACCEPT4, fd, MemorySegment.NULL,
                    MemorySegment.NULL, SOCK_CLOEXEC));
        } catch (SystemCallException e) {
            if (e.errno() == Errno.EAGAIN) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    public static void connect(int fd, Path path) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = unixAddress(arena, path);
            SystemCall.call("connect(" + path + ")", CONNECT, fd, address, (int) address.byteSize());
        }
    }

    /** The credentials of the process that connected (or was connected to) on {@code fd}. */
    public static PeerCredentials peerCredentials(int fd) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ucred = arena.allocate(12, 4);
            MemorySegment length = arena.allocate(INT);
            length.set(INT, 0, 12);
            SystemCall.call("getsockopt(fd " + fd + ", SO_PEERCRED)", GETSOCKOPT, fd, SOL_SOCKET, SO_PEERCRED, ucred,
                    length);
            return new PeerCredentials(ucred.get(INT, 0), ucred.get(INT, 4), ucred.get(INT, 8));
        }
    }

    /** Bounds every blocking receive and send on {@code fd}: past it they fail with EAGAIN. */
    public static void setTimeouts(int fd, Duration timeout) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeval = arena.allocate(16, 8);
            // A zero timeval means "no timeout": a positive timeout below a microsecond becomes one.
            long micros = timeout.toNanosPart() / 1000;
            if (timeout.toSeconds() == 0 && micros == 0 && !timeout.isZero()) {
                micros = 1;
            }
            timeval.set(LONG, 0, timeout.toSeconds());
            timeval.set(LONG, 8, micros);
            SystemCall.call("setsockopt(fd " + fd + ", SO_RCVTIMEO)", SETSOCKOPT, fd, SOL_SOCKET, SO_RCVTIMEO,
                    timeval, 16);
            SystemCall.call("setsockopt(fd " + fd + ", SO_SNDTIMEO)", SETSOCKOPT, fd, SOL_SOCKET, SO_SNDTIMEO,
                    timeval, 16);
        }
    }

    /** The address family of socket {@code fd} ({@link #AF_INET}, {@link #AF_INET6}, {@link #AF_UNIX}). */
    public static int family(int fd) throws SystemCallException {
        return intOption(fd, SO_DOMAIN, "SO_DOMAIN");
    }

    /** The type of socket {@code fd} ({@link #SOCK_STREAM}, ...). */
    public static int type(int fd) throws SystemCallException {
        return intOption(fd, SO_TYPE, "SO_TYPE");
    }

    /** Whether socket {@code fd} is listening for connections. */
    public static boolean isListening(int fd) throws SystemCallException {
        return intOption(fd, SO_ACCEPTCONN, "SO_ACCEPTCONN") != 0;
    }

    /** The path a Unix socket is bound to, or an empty string for an unnamed or abstract one. */
    public static String unixPath(int fd) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE, 2);
            MemorySegment length = arena.allocate(INT);
            length.set(INT, 0, SOCKADDR_UN_SIZE);
            SystemCall.call("getsockname(fd " + fd + ")", GETSOCKNAME, fd, address, length);
            int pathLength = length.get(INT, 0) - 2;
            if (pathLength <= 0 || address.get(JAVA_BYTE, 2) == 0) {
                return "";
            }
            return address.asSlice(2, pathLength).getString(0, StandardCharsets.UTF_8);
        }
    }

    private static int intOption(int fd, int option, String optionName) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(INT);
            MemorySegment length = arena.allocate(INT);
            length.set(INT, 0, 4);
            SystemCall.call("getsockopt(fd " + fd + ", " + optionName + ")", GETSOCKOPT, fd, SOL_SOCKET, option, value,
                    length);
            return value.get(INT, 0);
        }
    }

    /** A {@code sockaddr_un} for {@code path}; a path starting with {@code @} names an abstract socket. */
    private static MemorySegment unixAddress(Arena arena, Path path) {
        return unixAddress(arena, path.toString());
    }

    private static MemorySegment unixAddress(Arena arena, String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > SUN_PATH_MAX) {
            throw new IllegalArgumentException("Unix socket path is " + bytes.length + " bytes, longer than the "
                    + SUN_PATH_MAX + " Linux allows: " + path);
        }
        MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE, 2);
        address.set(LibC.SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, address, JAVA_BYTE, 2, bytes.length);
        if (isAbstract(bytes)) {
            address.set(JAVA_BYTE, 2, (byte) 0);
            return address.asSlice(0, 2 + bytes.length); // an abstract name is exactly as long as given
        }
        return address;
    }

    private static boolean isAbstract(byte[] path) {
        return path.length > 0 && path[0] == '@';
    }
}
