package dev.baton.internal.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Invokes an errno-capturing handle from {@link LibC} and turns a negative result into a
 * {@link SystemCallException}: {@code -1} never leaves this package.
 *
 * <p>Calls go through {@code invokeWithArguments}: they are control-plane calls (a handful per
 * upgrade), where one helper for all of them reads better than an exact invocation per call site.
 */
final class SystemCall {

    private SystemCall() {}

    /** Calls {@code handle} with {@code args}, retrying on EINTR; returns the non-negative result. */
    static long call(String description, MethodHandle handle, Object... args) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LibC.newErrnoState(arena);
            List<Object> arguments = new ArrayList<>(args.length + 1);
            arguments.add(state);
            arguments.addAll(List.of(args));
            while (true) {
                long result = invoke(handle, arguments);
                if (result >= 0) {
                    return result;
                }
                int errno = LibC.errno(state);
                if (errno != Errno.EINTR) {
                    throw SystemCallException.of(description, errno);
                }
            }
        }
    }

    private static long invoke(MethodHandle handle, List<Object> arguments) {
        Object result;
        try {
            result = handle.invokeWithArguments(arguments);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
        return ((Number) result).longValue();
    }
}
