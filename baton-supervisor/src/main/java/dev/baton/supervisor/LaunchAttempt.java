package dev.baton.supervisor;

import java.time.Duration;

/**
 * One try at starting a worker until it is ready: which worker (null if it could not be started) and,
 * unless it became ready, why not.
 *
 * <p>Filled in by {@link WorkerLauncher} on the thread that launches, then read by the same thread
 * (under {@link SupervisorMachine}'s lock where the state changes); never shared while it changes.
 */
final class LaunchAttempt {

    final int generation;
    private final long startNanos = System.nanoTime();
    Worker worker;
    /** Why it is not serving, or null while nothing went wrong. */
    String failure;
    /** Whether the launcher stopped the worker (it had not exited by itself). */
    boolean stoppedByUs;

    LaunchAttempt(int generation) {
        this.generation = generation;
    }

    /** Milliseconds since the attempt began. */
    long millis() {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** {@code "worker 3"} or {@code "worker 3 (pid 4711)"}. */
    String describeWorker() {
        return "worker " + generation + (worker == null ? "" : " (pid " + worker.pid() + ")");
    }
}
