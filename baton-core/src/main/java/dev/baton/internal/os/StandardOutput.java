package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * Moves standard output and error elsewhere: for a process whose reader is gone, so that a later write
 * (a request thread's log line) goes somewhere instead of failing on a broken pipe.
 */
public final class StandardOutput {

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0x100;
    private static final int O_APPEND = 0x400;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final MethodHandle OPEN =
            LibC.variadicFunction("open", FunctionDescriptor.of(INT, POINTER, INT, INT), 2);

    private StandardOutput() {}

    /**
     * Opens {@code path} for appending (close-on-exec, never as a controlling terminal): a file, a terminal,
     * a FIFO, or another process's {@code /proc/PID/fd/N}, which opens what that descriptor refers to
     * (a socket cannot be opened so: ENXIO).
     */
    public static int openForAppend(String path) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) SystemCall.call("open(" + path + ")", OPEN, arena.allocateFrom(path),
                    O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC, 0);
        }
    }

    /**
     * Opens another read end of the pipe {@code fd} of this process ({@code /proc/self/fd/FD}), non-blocking
     * and close-on-exec: while it is open, a write to the pipe never fails with EPIPE, whoever else reads it.
     */
    public static int openReadEnd(int fd) throws SystemCallException {
        String path = "/proc/self/fd/" + fd;
        try (Arena arena = Arena.ofConfined()) {
            return (int) SystemCall.call("open(" + path + ")", OPEN, arena.allocateFrom(path),
                    O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
        }
    }

    /**
     * Puts the open descriptor {@code target} at {@code fd} (the stream written to {@code fd} goes there from
     * now on) and closes {@code target}, whether or not that worked.
     */
    public static void moveOnto(int target, int fd) throws SystemCallException {
        try {
            Descriptors.duplicateOnto(target, fd);
        } finally {
            Descriptors.closeQuietly(target);
        }
    }

    /** Opens {@code /dev/null} for reading and writing (close-on-exec). */
    public static int openNullDevice() throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) SystemCall.call("open(/dev/null)", OPEN, arena.allocateFrom("/dev/null"), O_RDWR | O_CLOEXEC, 0);
        }
    }
}
