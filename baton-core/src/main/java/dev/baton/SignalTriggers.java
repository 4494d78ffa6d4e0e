package dev.baton;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The signals a Baton process answers: SIGHUP and SIGUSR2 upgrade, SIGTERM and SIGINT stop
 * gracefully (a second one, or one while draining, stops at once). SIGQUIT stays the JVM's.
 *
 * <p>The JDK has no supported API for these signals; {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, open to all) is the one that works. It is reached reflectively so that
 * the build, which treats warnings as errors, does not stop at javac's unsuppressible warning about
 * it. The JVM runs each handler on a thread of its own; the handlers only hand work to the lifecycle.
 */
final class SignalTriggers {

    private static final Logger LOG = System.getLogger(SignalTriggers.class.getName());

    private SignalTriggers() {}

    static void install(Lifecycle lifecycle) {
        for (String name : new String[] {"HUP", "USR2"}) {
            handle(name, () -> lifecycle.upgradeInBackground("SIG" + name));
        }
        for (String name : new String[] {"TERM", "INT"}) {
            handle(name, () -> lifecycle.stop(false, "SIG" + name));
        }
    }

    private static void handle(String name, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(SignalTriggers.class.getClassLoader(),
                    new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            action.run();
                            return null;
                        }
                        return switch (method.getName()) {
                            case "toString" -> "Baton's SIG" + name + " handler";
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    });
            handle.invoke(null, newSignal.newInstance(name), handler);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "cannot handle SIG" + name + " in this JVM: " + e);
        }
    }
}
