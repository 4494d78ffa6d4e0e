package dev.baton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A {@link GenerationClock} that moves only when a test says so; its timeouts run in {@link #advance}. */
final class ManualClock implements GenerationClock {

    private record Timer(long dueNanos, Runnable action) {}

    private final List<Timer> timers = new ArrayList<>();
    private long nanos = 1_000_000_000L;
    private Error nextScheduleFails;

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized Instant now() {
        return Instant.ofEpochSecond(1_700_000_000L).plusNanos(nanos);
    }

    @Override
    public synchronized void schedule(Duration delay, Runnable action) {
        Error failure = nextScheduleFails;
        if (failure != null) {
            nextScheduleFails = null;
            throw failure;
        }
        timers.add(new Timer(nanos + delay.toNanos(), action));
    }

    /** The next {@link #schedule} throws {@code failure}, as the JDK's does when no thread is left for its timer. */
    synchronized void failNextSchedule(Error failure) {
        nextScheduleFails = failure;
    }

    /** How many timeouts are set and not yet due. */
    synchronized int pending() {
        return timers.size();
    }

    /** Moves the time on by {@code duration} and runs the timeouts that came due, on this thread. */
    void advance(Duration duration) {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            nanos += duration.toNanos();
            timers.removeIf(timer -> {
                if (timer.dueNanos() <= nanos) {
                    due.add(timer.action());
                    return true;
                }
                return false;
            });
        }
        due.forEach(Runnable::run);
    }
}
