package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.LONG;
import static dev.baton.internal.os.LibC.POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Pipes for a child's output: {@code pipe2} with close-on-exec, and a blocking {@code read}. */
public final class Pipes {

    private static final int O_CLOEXEC = 0x80000;

    private static final MethodHandle PIPE2 = LibC.function("pipe2", FunctionDescriptor.of(INT, POINTER, INT));
    private static final MethodHandle READ = LibC.function("read", FunctionDescriptor.of(LONG, INT, POINTER, LONG));

    private Pipes() {}

    /** A new pipe, both ends close-on-exec: {@code [read end, write end]}, owned by the caller. */
    public static int[] newPipe() throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(INT, 2);
            SystemCall.call("pipe2", PIPE2, pair, O_CLOEXEC);
            return new int[] {pair.getAtIndex(INT, 0), pair.getAtIndex(INT, 1)};
        }
    }

    /**
     * Reads up to {@code buffer.length} bytes from {@code fd}, blocking until some arrive.
     *
     * @return the number of bytes read, 0 at end of file
     */
    public static int read(int fd, byte[] buffer) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(buffer.length);
            int read = (int) SystemCall.call("read(fd " + fd + ")", READ, fd, chunk, (long) buffer.length);
            MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, 0, buffer, 0, read);
            return read;
        }
    }
}
