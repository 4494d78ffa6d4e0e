package dev.baton;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import sun.misc.Signal;

/**
 * The signals a Baton process answers: SIGHUP and SIGUSR2 upgrade, SIGTERM and SIGINT stop
 * gracefully (a second one, or one while draining, stops at once). SIGQUIT stays the JVM's.
 *
 * <p>{@code sun.misc.Signal} is used because the JDK has no supported API for these signals; the JVM
 * runs each handler on a thread of its own, and the handlers here only hand work to the lifecycle.
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
            Signal.handle(new Signal(name), signal -> action.run());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "cannot handle SIG" + name + " in this JVM: " + e.getMessage());
        }
    }
}
