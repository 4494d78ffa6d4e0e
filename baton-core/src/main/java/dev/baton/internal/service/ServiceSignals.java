package dev.baton.internal.service;

import dev.baton.internal.control.ControlledService;
import dev.baton.internal.os.Signals;

/**
 * The signals a Baton service answers, in either mode: SIGHUP and SIGUSR2 reload (in-process: upgrade;
 * supervised: replace the worker), SIGTERM and SIGINT stop gracefully (a second one, or one while
 * draining, stops at once), and, for a service that {@linkplain ControlledService#upgradesInPlace()
 * upgrades in place} (the supervisor), SIGUSR1 re-executes it as {@code baton upgrade-supervisor} does.
 * SIGQUIT stays the JVM's (a thread dump).
 *
 * <p>The JVM runs each handler on a thread of its own; a handler only hands the work on: a reload and an
 * upgrade in place run on a new platform thread ({@code execve} resets the signal mask of one OS thread),
 * a stop returns at once by contract.
 */
public final class ServiceSignals {

    private ServiceSignals() {}

    public static void install(ControlledService service) {
        for (String name : new String[] {"HUP", "USR2"}) {
            Signals.handle(name, () -> Thread.ofPlatform().name("baton-reload")
                    .start(() -> service.reload("SIG" + name)));
        }
        for (String name : new String[] {"TERM", "INT"}) {
            Signals.handle(name, () -> service.stop(false, "SIG" + name));
        }
        if (service.upgradesInPlace()) {
            Signals.handle("USR1", () -> Thread.ofPlatform().name("baton-upgrade-supervisor")
                    .start(() -> service.upgradeSupervisor("SIGUSR1", null)));
        }
    }
}
