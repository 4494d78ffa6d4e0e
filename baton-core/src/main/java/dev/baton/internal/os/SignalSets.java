package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Signal sets ({@code sigset_t}) and this thread's signal mask: the one place that links
 * {@code sigemptyset}, {@code sigfillset}, {@code sigaddset} and {@code sigprocmask}, for {@link Exec},
 * {@link HeldSignals} and {@link Spawn}.
 */
final class SignalSets {

    /** {@code sigprocmask}'s {@code how}. */
    static final int SIG_UNBLOCK = 1;
    static final int SIG_SETMASK = 2;

    /** glibc's {@code sigset_t} is 128 bytes on x86-64 and aarch64. */
    private static final long SIZE = 128;

    private static final MethodHandle SIGEMPTYSET = LibC.function("sigemptyset", FunctionDescriptor.of(INT, POINTER));
    private static final MethodHandle SIGFILLSET = LibC.function("sigfillset", FunctionDescriptor.of(INT, POINTER));
    private static final MethodHandle SIGADDSET =
            LibC.function("sigaddset", FunctionDescriptor.of(INT, POINTER, INT));
    private static final MethodHandle SIGPROCMASK =
            LibC.function("sigprocmask", FunctionDescriptor.of(INT, INT, POINTER, POINTER));

    private SignalSets() {}

    /** Room for a set, in {@code arena}, for {@link #setMask}'s old mask. */
    static MemorySegment allocate(Arena arena) {
        return arena.allocate(SIZE, 8);
    }

    /** The set of {@code signals}, in {@code arena}; none for the empty set. */
    static MemorySegment of(Arena arena, Iterable<Integer> signals) throws SystemCallException {
        MemorySegment set = allocate(arena);
        SystemCall.call("sigemptyset", SIGEMPTYSET, set);
        for (int number : signals) {
            SystemCall.call("sigaddset(" + number + ")", SIGADDSET, set, number);
        }
        return set;
    }

    /** The set of every signal, in {@code arena}. */
    static MemorySegment full(Arena arena) throws SystemCallException {
        MemorySegment set = allocate(arena);
        SystemCall.call("sigfillset", SIGFILLSET, set);
        return set;
    }

    /**
     * Changes this thread's signal mask ({@code how}: {@link #SIG_SETMASK}, {@link #SIG_UNBLOCK}).
     *
     * @param old where the mask before goes, or {@link MemorySegment#NULL}
     */
    static void setMask(int how, MemorySegment set, MemorySegment old) throws SystemCallException {
        SystemCall.call(how == SIG_SETMASK ? "sigprocmask(SIG_SETMASK)" : "sigprocmask(" + how + ")", SIGPROCMASK,
                how, set, old);
    }
}
