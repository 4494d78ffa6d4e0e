package dev.baton.internal.os;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
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
 */
public final class Signals {

    private static final Logger LOG = System.getLogger(Signals.class.getName());

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
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "toString" -> "Baton's SIG" + name + " handler";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            handle.invoke(null, newSignal.newInstance(name), handler);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "cannot handle SIG" + name + " in this JVM: " + e);
        }
    }
}
