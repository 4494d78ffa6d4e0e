package dev.baton.supervisor;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The signals a supervisor answers: SIGHUP and SIGUSR2 reload (replace the worker), SIGTERM and SIGINT
 * stop gracefully (a second one stops at once), SIGUSR1 upgrades the supervisor itself in place.
 *
 * <p>{@code sun.misc.Signal} is reached reflectively, as the core does, so that the build (warnings as
 * errors) does not stop at javac's warning about it. Each handler runs on a JVM thread of its own and
 * only hands the work on.
 */
final class SupervisorSignals {

    private static final Logger LOG = System.getLogger(SupervisorSignals.class.getName());

    private SupervisorSignals() {}

    static void install(Supervisor supervisor) {
        for (String name : new String[] {"HUP", "USR2"}) {
            handle(name, () -> supervisor.reloadInBackground("SIG" + name));
        }
        for (String name : new String[] {"TERM", "INT"}) {
            handle(name, () -> supervisor.stop(false, "SIG" + name));
        }
        handle("USR1", () -> supervisor.upgradeSelfInBackground("SIGUSR1"));
    }

    private static void handle(String name, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(SupervisorSignals.class.getClassLoader(),
                    new Class<?>[] {handlerClass}, (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "toString" -> "Baton supervisor's SIG" + name + " handler";
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
