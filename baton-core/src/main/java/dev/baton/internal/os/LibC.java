package dev.baton.internal.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Links C library functions for the per-concern classes of this package, capturing errno.
 *
 * <p>Every handle made by {@link #function} takes a capture-state segment as its first argument
 * (allocate it with {@link #newErrnoState}); {@link #errno} reads the errno it captured. Handles
 * are made once per function, in the static initialisers of the classes that use them.
 */
@SuppressWarnings("restricted") // linking C functions is what this class is for
final class LibC {

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    static final java.lang.foreign.AddressLayout POINTER = ValueLayout.ADDRESS;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private LibC() {}

    /** A handle to {@code name} that captures errno; its first parameter is the capture-state segment. */
    static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO);
    }

    /** A handle to a variadic {@code name} whose variadic part starts at parameter {@code firstVariadic}. */
    static MethodHandle variadicFunction(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return LINKER.downcallHandle(
                symbol(name), descriptor, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(firstVariadic));
    }

    /**
     * A handle to {@code name} that does not capture errno: for a call that cannot fail (such as
     * {@code getpid}), or one that returns its error instead of setting errno ({@code posix_spawn}).
     */
    static MethodHandle infallibleFunction(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    static MemorySegment newErrnoState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("C library has no " + name));
    }

    /**
     * Turns a throwable from {@code MethodHandle.invokeExact} into an unchecked error: the C calls
     * linked here throw nothing, so anything caught is a programming error.
     */
    static AssertionError unexpected(Throwable t) {
        return new AssertionError("native call failed unexpectedly", t);
    }
}
