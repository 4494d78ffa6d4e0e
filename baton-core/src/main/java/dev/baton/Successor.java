package dev.baton;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A successor generation this one started: a {@link SuccessorProcess}, or a fake in the state-machine tests. */
interface Successor {

    long pid();

    /** Completes when it has exited. */
    CompletableFuture<?> onExit();

    boolean isAlive();

    /**
     * Stops it: SIGTERM, then SIGKILL if it has not exited within {@code grace}; returns once it has exited
     * and been reaped.
     */
    void stop(Duration grace, String logPrefix);

    /**
     * Sets every thread of it to CPU priority {@code nice}, unless it has been reaped (its pid may be another
     * process's by then).
     *
     * @return how many threads it changed; 0 once it has been reaped
     */
    int setPriority(int nice) throws IOException;

    /** How it exited, such as {@code "exited with status 1"}; call after it exited. */
    String exitDescription();

    /**
     * Whether it exited with status 0, as a generation that was stopped and drained does; call after it
     * exited. A fake that cannot tell says no.
     */
    default boolean exitedCleanly() {
        return false;
    }

    /** Whether it has exited, cleanly: stopped and drained, not failed (see {@link Probation#watch}). */
    default boolean wasStopped() {
        return !isAlive() && exitedCleanly();
    }

    /** Its last lines of output. */
    List<String> lastLines();
}
