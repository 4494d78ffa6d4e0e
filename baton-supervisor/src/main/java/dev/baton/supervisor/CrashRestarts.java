package dev.baton.supervisor;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * The restarts of a worker after a crash: once the backoff that {@link SupervisorMachine} chose (see
 * {@link RestartBackoff}) is over, a new worker is started on a platform thread of its own; if it
 * fails, the machine schedules the next try, longer.
 */
final class CrashRestarts {

    private final SupervisorMachine machine;
    private final WorkerLauncher launcher;
    private final SupervisorThreads threads;

    CrashRestarts(SupervisorMachine machine, WorkerLauncher launcher, SupervisorThreads threads) {
        this.machine = machine;
        this.launcher = launcher;
        this.threads = threads;
    }

    /** Restarts after {@code delay}; only queues it (the machine calls this holding its monitor). */
    void after(Duration delay) {
        threads.schedule(delay, () -> threads.start("baton-restart", this::restart));
    }

    private void restart() {
        OptionalInt generation = machine.beginRestart();
        if (generation.isPresent()) {
            machine.endRestart(launcher.launch(generation.getAsInt(), "restart after a crash"));
        }
    }
}
