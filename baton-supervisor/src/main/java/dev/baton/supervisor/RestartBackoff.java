package dev.baton.supervisor;

import java.time.Duration;

/**
 * The delay before restarting a worker that crashed: 100 ms at first, doubling at each restart up to
 * 10 s, and back to 100 ms once a worker has served for 30 s (it was healthy, so the next crash is a
 * new fault, not the same one again).
 *
 * <p>Not thread-safe: {@link SupervisorMachine} owns it, under its lock.
 */
final class RestartBackoff {

    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofSeconds(10);
    static final Duration HEALTHY_AFTER = Duration.ofSeconds(30);

    private Duration current = FIRST;

    /** The delay the next restart waits. */
    Duration current() {
        return current;
    }

    /** Returns the delay for this restart and doubles it (up to {@link #MAX}) for the one after. */
    Duration next() {
        Duration delay = current;
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(MAX) > 0 ? MAX : doubled;
        return delay;
    }

    /** A worker that crashed after serving {@code served}: if it was healthy, the backoff starts over. */
    void crashedAfter(Duration served) {
        if (served.compareTo(HEALTHY_AFTER) >= 0) {
            current = FIRST;
        }
    }

    /** Takes over the delay a previous program image of this supervisor carried (at least {@link #FIRST}). */
    void restore(long millis) {
        current = Duration.ofMillis(Math.max(FIRST.toMillis(), millis));
    }
}
