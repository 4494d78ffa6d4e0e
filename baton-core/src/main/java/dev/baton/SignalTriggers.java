package dev.baton;

import dev.baton.internal.os.Signals;

/**
 * The signals a Baton process answers: SIGHUP and SIGUSR2 upgrade, SIGTERM and SIGINT stop
 * gracefully (a second one, or one while draining, stops at once). SIGQUIT stays the JVM's.
 */
final class SignalTriggers {

    private SignalTriggers() {}

    static void install(Lifecycle lifecycle) {
        for (String name : new String[] {"HUP", "USR2"}) {
            Signals.handle(name, () -> lifecycle.upgradeInBackground("SIG" + name));
        }
        for (String name : new String[] {"TERM", "INT"}) {
            Signals.handle(name, () -> lifecycle.stop(false, "SIG" + name));
        }
    }
}
