package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.POINTER;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Handlers for POSIX signals (HUP, USR1, USR2, TERM, INT, ...), which the JDK has no supported API for.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}, open to all) is the one that works. It is
 * reached reflectively so that the build, which treats warnings as errors, does not stop at javac's
 * unsuppressible warning about it. The JVM runs each handler on a thread of its own; handlers should
 * hand their work on and return.
 *
 * <p>A signal that was ignored when the process started ({@code nohup}, or a shell script that starts
 * it in the background, ignores SIGHUP and SIGINT) is restored to its default first: the JVM refuses
 * to handle a shutdown signal (HUP, INT, TERM) that it found ignored, and would leave SIGHUP without
 * a reload and without a word. That leaves a window of a few microseconds, at start, in which such a
 * signal has its default action.
 */
public final class Signals {

    private static final Logger LOG = System.getLogger(Signals.class.getName());

    /** {@code SIG_DFL} and {@code SIG_IGN}, the two handler values that are not functions. */
    private static final long SIG_DFL = 0;
    private static final long SIG_IGN = 1;
    /** Room for glibc's {@code struct sigaction} (152 bytes on x86-64 and aarch64), whose handler comes first. */
    private static final long SIGACTION_SIZE = 256;

    /** {@code int sigaction(int signum, const struct sigaction *act, struct sigaction *oldact)} */
    private static final MethodHandle SIGACTION =
            LibC.function("sigaction", FunctionDescriptor.of(INT, INT, POINTER, POINTER));

    private Signals() {}

    /**
     * Runs {@code action} whenever signal {@code name} (without the SIG prefix) arrives; if this JVM
     * cannot handle it (QUIT is the JVM's own), logs why and leaves the signal's default.
     */
    public static void handle(String name, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Object signal = newSignal.newInstance(name);
            restoreIfIgnored(name, (int) signalClass.getMethod("getNumber").invoke(signal));
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            if (!HeldSignals.forward(name)) {
                                action.run();
                            }
                            yield null;
                        }
                        case "toString" -> "Baton's SIG" + name + " handler";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            handle.invoke(null, signal, handler);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "cannot handle SIG" + name + " in this JVM: " + e);
        }
    }

    /** Whether signal {@code number} is ignored in this process now. */
    public static boolean isIgnored(int number) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(SIGACTION_SIZE);
            SystemCall.call("sigaction(" + number + ")", SIGACTION, number, MemorySegment.NULL, old);
            return old.get(ValueLayout.JAVA_LONG, 0) == SIG_IGN;
        }
    }

    /** Sets signal {@code number} to ignored; returns its previous action, allocated in {@code arena}. */
    static MemorySegment ignore(Arena arena, int number) throws SystemCallException {
        MemorySegment ignored = arena.allocate(SIGACTION_SIZE);
        ignored.set(ValueLayout.JAVA_LONG, 0, SIG_IGN);
        MemorySegment old = arena.allocate(SIGACTION_SIZE);
        SystemCall.call("sigaction(" + number + ", SIG_IGN)", SIGACTION, number, ignored, old);
        return old;
    }

    /** Puts back the action {@link #ignore} returned. */
    static void restore(int number, MemorySegment old) throws SystemCallException {
        SystemCall.call("sigaction(" + number + ")", SIGACTION, number, old, MemorySegment.NULL);
    }

    private static void restoreIfIgnored(String name, int number) {
        try {
            if (!isIgnored(number)) {
                return;
            }
            boolean held = HeldSignals.heldSinceStart() && HeldSignals.IGNORED.contains(number);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment action = arena.allocate(SIGACTION_SIZE); // zeroed: SIG_DFL, empty mask, no flags
                action.set(ValueLayout.JAVA_LONG, 0, SIG_DFL);
                SystemCall.call("sigaction(SIG" + name + ", SIG_DFL)", SIGACTION, number, action, MemorySegment.NULL);
            }
            if (held) {
                return; // ignored on purpose across the execve that started this image (see HeldSignals)
            }
            LOG.log(Level.INFO, "SIG" + name + " was ignored when this process started (nohup, or started in the "
                    + "background by a script); restored it so that Baton can handle it");
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, "SIG" + name + " may be ignored in this process (started under nohup?) and "
                    + "Baton cannot tell: " + e.getMessage() + "; if SIG" + name + " does nothing, use baton reload or "
                    + "baton stop instead");
        }
    }
}
