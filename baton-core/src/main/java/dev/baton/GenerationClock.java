package dev.baton;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The time a generation measures and the timeouts it sets (the ready timeout of a successor, the drain
 * timeout): the system's in a real process, a hand-moved one in the state-machine tests.
 */
interface GenerationClock {

    /** The system's clock; timeouts run on the JDK's shared delay thread, then the common pool. */
    GenerationClock SYSTEM = new GenerationClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void schedule(Duration delay, Runnable action) {
            CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(action);
        }
    };

    /** A monotonic time in nanoseconds, for elapsed times. */
    long nanoTime();

    /** The wall-clock time, for a person. */
    Instant now();

    /** Runs {@code action} once {@code delay} has passed; {@code action} must be quick and never throw. */
    void schedule(Duration delay, Runnable action);

    /** The time since {@code startNanos}, a value of {@link #nanoTime()}. */
    default Duration since(long startNanos) {
        return Duration.ofNanos(nanoTime() - startNanos);
    }
}
