package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.POINTER;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * The signals a Baton service answers (HUP, INT, TERM, USR1, USR2), held across an {@code execve} so
 * that one arriving while the new program image starts is neither lost nor fatal.
 *
 * <p>Why it takes more than blocking them: a new JVM unblocks HUP, INT and TERM in each of its threads
 * as it starts, long before the program installs its handlers, and a pending signal then has its
 * default action (the process dies); a moment later the JVM's own handlers exit with status 129 or 143.
 * A JVM does neither for a signal it finds ignored. So {@link Exec#execve} blocks all five on the
 * exec'ing thread (the new image's only thread, whose mask every thread of the new JVM inherits) and
 * sets HUP, INT and TERM to ignored just before {@code execve}: a signal sent to the new image is kept
 * pending (a blocked signal is never discarded, even if ignored), the JVM leaves it alone, and the new
 * program, once its handlers are installed, calls {@link #release}, which unblocks them on a thread of
 * its own and so receives what is pending. A signal that reaches the old image's handlers while
 * {@code execve} is under way is forwarded to the exec'ing thread ({@link #forward}), where it waits,
 * blocked, for the new image.
 *
 * <p>What is left: a signal sent in the microseconds between setting the disposition to ignored and
 * {@code execve} replacing the old image's threads is discarded by the kernel (the old image's main
 * thread does not block it). It is never fatal.
 */
public final class HeldSignals {

    /** Set in the new image's environment: the epoch millisecond of the {@code execve}. */
    public static final String VARIABLE = "BATON_HELD_SIGNALS";

    /** Names (without SIG) to numbers, the same on x86-64 and aarch64. */
    static final Map<String, Integer> SIGNALS = numbers();
    /** The ones a starting JVM would unblock (and then exit on): ignored across the execve. */
    static final List<Integer> IGNORED = List.of(1, 2, 15);

    private static final MethodHandle GETTID = LibC.infallibleFunction("gettid", FunctionDescriptor.of(INT));
    private static final MethodHandle TGKILL = LibC.function("tgkill", FunctionDescriptor.of(INT, INT, INT, INT));

    /** The exec'ing thread's id while an execve is under way, else 0. */
    private static volatile int execThread;

    private HeldSignals() {}

    private static Map<String, Integer> numbers() {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        numbers.put("HUP", 1);
        numbers.put("INT", 2);
        numbers.put("USR1", 10);
        numbers.put("USR2", 12);
        numbers.put("TERM", 15);
        return Map.copyOf(numbers);
    }

    /** Whether this process is a new program image that holds the signals until {@link #release}. */
    public static boolean heldSinceStart() {
        return System.getenv(VARIABLE) != null;
    }

    /** {@code sigset_t} of the held signals, in {@code arena}. */
    static MemorySegment set(Arena arena) throws SystemCallException {
        return SignalSets.of(arena, SIGNALS.values());
    }

    /** From now on (until {@link #endForwarding}), a held signal reaching a handler goes to this thread. */
    static void forwardToThisThread() {
        execThread = currentThreadId();
    }

    static void endForwarding() {
        execThread = 0;
    }

    /**
     * Called by a signal handler before it acts: while an {@code execve} is under way, sends signal
     * {@code name} to the exec'ing thread, which blocks it, so the new image gets it.
     *
     * @return whether it was forwarded (the handler must then not act)
     */
    static boolean forward(String name) {
        int thread = execThread;
        Integer number = SIGNALS.get(name);
        if (thread == 0 || number == null) {
            return false;
        }
        try {
            SystemCall.call("tgkill(" + thread + ", SIG" + name + ")", TGKILL, (int) ProcessHandle.current().pid(),
                    thread, number);
            return true;
        } catch (SystemCallException e) {
            return false; // the thread is gone: execve failed and ended, so act here
        }
    }

    /**
     * In a new program image that holds the signals ({@link #heldSinceStart}), once its handlers are
     * installed: unblocks them on a daemon thread of its own that lives as long as the process (a
     * process-directed signal goes to a thread that does not block it), which so receives every held
     * signal that is pending, and re-sends those forwarded to the exec'ing thread (the new image's main
     * thread, which stays blocked in the launcher).
     *
     * @return the names of the signals that were pending, empty if none (or if nothing was held)
     */
    public static List<String> release() throws IOException {
        if (!heldSinceStart()) {
            return List.of();
        }
        long pid = ProcessHandle.current().pid();
        long onMainThread = mask(Path.of("/proc/self/task/" + pid + "/status"), "SigPnd:");
        long shared = mask(Path.of("/proc/self/status"), "ShdPnd:");
        CountDownLatch unblocked = new CountDownLatch(1);
        SystemCallException[] failure = new SystemCallException[1];
        Thread.ofPlatform().daemon().name("baton-held-signals").start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                SignalSets.setMask(SignalSets.SIG_UNBLOCK, set(arena), MemorySegment.NULL);
            } catch (SystemCallException e) {
                failure[0] = e;
            }
            unblocked.countDown();
            while (true) {
                LockSupport.park();
            }
        });
        try {
            unblocked.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while releasing the held signals", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        List<String> pending = new ArrayList<>();
        for (Map.Entry<String, Integer> signal : SIGNALS.entrySet()) {
            long bit = 1L << (signal.getValue() - 1);
            if ((shared & bit) != 0) {
                pending.add(signal.getKey());
            } else if ((onMainThread & bit) != 0) {
                pending.add(signal.getKey());
                Processes.kill(pid, signal.getValue());
            }
        }
        return pending;
    }

    /** The epoch millisecond of the execve that started this image, or -1. */
    public static long execEpochMillis() {
        try {
            return Long.parseLong(System.getenv().getOrDefault(VARIABLE, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A signal mask line ({@code SigPnd:}, {@code ShdPnd:}) of a {@code /proc} status file. */
    private static long mask(Path status, String field) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field)) {
                return Long.parseUnsignedLong(line.substring(field.length()).strip(), 16);
            }
        }
        return 0;
    }

    private static int currentThreadId() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }
}
