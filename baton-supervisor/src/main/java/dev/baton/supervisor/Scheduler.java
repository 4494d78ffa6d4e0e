package dev.baton.supervisor;

import java.time.Duration;

/** Where the supervisor's timers run (drain deadlines, restart backoff, readiness delays): a seam for tests. */
@FunctionalInterface
interface Scheduler {

    /** Runs {@code task} once after {@code delay}; the task must not block (it hands work on). */
    void schedule(Duration delay, Runnable task);
}
