package dev.baton.internal.service;

import dev.baton.internal.control.ControlledService;
import dev.baton.internal.os.Signals;

/**
 * The signals a Baton service answers, in either mode: SIGHUP reloads (in-process: upgrade; supervised:
 * replace the worker), and so does SIGUSR2 where the JVM leaves it free (below), SIGTERM and SIGINT stop gracefully (a second one, or one while
 * draining, stops at once), and, for a service that {@linkplain ControlledService#upgradesInPlace()
 * upgrades in place} (the supervisor), SIGUSR1 re-executes it as {@code baton upgrade-supervisor} does.
 * SIGQUIT stays the JVM's (a thread dump).
 *
 * <p>HotSpot suspends and resumes threads with SIGUSR2 unless {@code _JAVA_SR_SIGNUM} names another signal
 * (JFR's sampler does so every 20 ms): a handler on it would take those for reloads, so SIGUSR2 reloads only
 * where {@code _JAVA_SR_SIGNUM} moved that use elsewhere (for example {@code _JAVA_SR_SIGNUM=40}).
 *
 * <p>The JVM runs each handler on a thread of its own; a handler only hands the work on: a reload and an
 * upgrade in place run on a new platform thread ({@code execve} resets the signal mask of one OS thread),
 * a stop returns at once by contract.
 */
public final class ServiceSignals {

    private ServiceSignals() {}

    public static void install(ControlledService service) {
        String suspendSignal = System.getenv("_JAVA_SR_SIGNUM");
        boolean usr2Free = suspendSignal != null && !suspendSignal.isBlank() && !suspendSignal.strip().equals("12");
        for (String name : usr2Free ? new String[] {"HUP", "USR2"} : new String[] {"HUP"}) {
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
