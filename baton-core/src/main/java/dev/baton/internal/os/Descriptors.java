package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.LONG;
import static dev.baton.internal.os.LibC.POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.time.Duration;

/** File descriptor calls: close, flags, duplication, poll and an eventfd for wake-ups. */
public final class Descriptors {

    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int FD_CLOEXEC = 1;
    private static final int O_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    private static final MethodHandle CLOSE = LibC.function("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle FCNTL =
            LibC.variadicFunction("fcntl", FunctionDescriptor.of(INT, INT, INT, INT), 2);
    private static final MethodHandle POLL = LibC.function("poll", FunctionDescriptor.of(INT, POINTER, LONG, INT));
    private static final MethodHandle EVENTFD = LibC.function("eventfd", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle WRITE = LibC.function("write", FunctionDescriptor.of(LONG, INT, POINTER, LONG));
    private static final MethodHandle READ = LibC.function("read", FunctionDescriptor.of(LONG, INT, POINTER, LONG));
    private static final MethodHandle DUP2 = LibC.function("dup2", FunctionDescriptor.of(INT, INT, INT));

    private Descriptors() {}

    /** Closes {@code fd}; the caller owns it and never uses it again, whatever this throws. */
    public static void close(int fd) throws SystemCallException {
        SystemCall.call("close(fd " + fd + ")", CLOSE, fd);
    }

    /** Closes {@code fd} where a failure can only be logged by the caller: returns the failure, if any. */
    public static SystemCallException closeQuietly(int fd) {
        try {
            close(fd);
            return null;
        } catch (SystemCallException e) {
            return e;
        }
    }

    /** Whether {@code fd} is an open descriptor of this process. */
    public static boolean isOpen(int fd) {
        try {
            SystemCall.call("fcntl(fd " + fd + ", F_GETFD)", FCNTL, fd, F_GETFD, 0);
            return true;
        } catch (SystemCallException e) {
            return false;
        }
    }

    /** Sets or clears close-on-exec on {@code fd}. */
    public static void setCloseOnExec(int fd, boolean closeOnExec) throws SystemCallException {
        SystemCall.call("fcntl(fd " + fd + ", F_SETFD)", FCNTL, fd, F_SETFD, closeOnExec ? FD_CLOEXEC : 0);
    }

    /** Whether close-on-exec is set on {@code fd}. */
    public static boolean isCloseOnExec(int fd) throws SystemCallException {
        return (SystemCall.call("fcntl(fd " + fd + ", F_GETFD)", FCNTL, fd, F_GETFD, 0) & FD_CLOEXEC) != 0;
    }

    /**
     * Sets O_NONBLOCK on the open file description behind {@code fd}. It is shared by every process
     * holding the socket, which is why listening sockets are kept non-blocking: the JDK's blocking
     * accept copes with EAGAIN, while a blocking socket would stall another holder's selector.
     */
    public static void setNonBlocking(int fd) throws SystemCallException {
        int flags = (int) SystemCall.call("fcntl(fd " + fd + ", F_GETFL)", FCNTL, fd, F_GETFL, 0);
        if ((flags & O_NONBLOCK) == 0) {
            SystemCall.call("fcntl(fd " + fd + ", F_SETFL)", FCNTL, fd, F_SETFL, flags | O_NONBLOCK);
        }
    }

    /** A close-on-exec duplicate of {@code fd} at the lowest free number not below {@code lowest}. */
    public static int duplicate(int fd, int lowest) throws SystemCallException {
        return (int) SystemCall.call("fcntl(fd " + fd + ", F_DUPFD_CLOEXEC)", FCNTL, fd, F_DUPFD_CLOEXEC, lowest);
    }

    /** Makes {@code target} refer to what {@code fd} refers to (used to redirect standard output). */
    public static void duplicateOnto(int fd, int target) throws SystemCallException {
        SystemCall.call("dup2(fd " + fd + ", fd " + target + ")", DUP2, fd, target);
    }

    /**
     * Waits until one of {@code fds} is readable (or hung up, or in error) or the timeout passes.
     *
     * @return the index of the first ready descriptor, or -1 on timeout
     */
    public static int awaitReadable(int[] fds, Duration timeout) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(8L * fds.length, 4);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(INT, 8L * i, fds[i]);
                pollfds.set(LibC.SHORT, 8L * i + 4, POLLIN);
            }
            int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
            long ready = SystemCall.call("poll", POLL, pollfds, (long) fds.length, millis);
            if (ready == 0) {
                return -1;
            }
            for (int i = 0; i < fds.length; i++) {
                if (pollfds.get(LibC.SHORT, 8L * i + 6) != 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A new close-on-exec eventfd, used to wake a thread waiting in {@link #awaitReadable}. */
    public static int newEventFd() throws SystemCallException {
        return (int) SystemCall.call("eventfd", EVENTFD, 0, EFD_CLOEXEC);
    }

    /** Resets an eventfd that {@link #signalEventFd} made readable. */
    public static void clearEventFd(int fd) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            SystemCall.call("read(eventfd " + fd + ")", READ, fd, arena.allocate(LONG), 8L);
        }
    }

    /** Makes an eventfd readable. */
    public static void signalEventFd(int fd) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(LONG);
            one.set(LONG, 0, 1L);
            SystemCall.call("write(eventfd " + fd + ")", WRITE, fd, one, 8L);
        }
    }
}
