package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * Points standard output and error at {@code /dev/null}: for a process whose reader is gone, so that a
 * later write (a request thread's log line) goes nowhere instead of failing on a broken pipe.
 */
public final class NullDevice {

    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final MethodHandle OPEN =
            LibC.variadicFunction("open", FunctionDescriptor.of(INT, POINTER, INT, INT), 2);

    private NullDevice() {}

    /** Makes descriptors 1 and 2 refer to {@code /dev/null}; the caller flushes {@code System.out/err} first. */
    public static void replaceStandardOutput() throws SystemCallException {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) SystemCall.call("open(/dev/null)", OPEN, arena.allocateFrom("/dev/null"), O_RDWR | O_CLOEXEC, 0);
        }
        try {
            Descriptors.duplicateOnto(fd, 1);
            Descriptors.duplicateOnto(fd, 2);
        } finally {
            Descriptors.closeQuietly(fd);
        }
    }
}
