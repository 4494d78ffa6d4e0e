package dev.baton.supervisor;

import dev.baton.internal.os.Signals;

/**
 * The signals a supervisor answers: SIGHUP and SIGUSR2 reload (replace the worker), SIGTERM and SIGINT
 * stop gracefully (a second one kills the workers at once), SIGUSR1 upgrades the supervisor in place
 * (re-executes its own program, same pid, keeping the listeners and the workers), as
 * {@code baton upgrade-supervisor} does. Each handler only hands the work on.
 */
final class SupervisorSignals {

    private SupervisorSignals() {}

    static void install(Supervisor supervisor) {
        for (String name : new String[] {"HUP", "USR2"}) {
            Signals.handle(name, () -> supervisor.reloadInBackground("SIG" + name));
        }
        for (String name : new String[] {"TERM", "INT"}) {
            Signals.handle(name, () -> supervisor.stop(false, "SIG" + name));
        }
        Signals.handle("USR1", () -> supervisor.upgradeSelfInBackground("SIGUSR1"));
    }
}
