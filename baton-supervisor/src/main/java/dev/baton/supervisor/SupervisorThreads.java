package dev.baton.supervisor;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The threads the supervisor starts for itself, in one place: one timer thread for every deadline and
 * delay, and a named platform thread for each piece of blocking work (a restart, a stop, an upgrade of
 * the supervisor; a signal's reload gets its thread from the shared signal wiring). Platform threads, because that work may block in
 * foreign calls ({@code poll}, {@code waitid}, {@code execve}) that would pin a virtual thread's carrier.
 * The reaper ({@link Reaper}) and the control acceptor own their threads.
 */
final class SupervisorThreads implements Scheduler {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("baton-supervisor-timer").factory());

    @Override
    public void schedule(Duration delay, Runnable task) {
        timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on a new platform thread called {@code name}. */
    void start(String name, Runnable task) {
        Thread.ofPlatform().name(name).start(task);
    }

    /** Ends the timer: pending deadlines are dropped (the supervisor has stopped). */
    void shutdown() {
        timer.shutdownNow();
    }
}
