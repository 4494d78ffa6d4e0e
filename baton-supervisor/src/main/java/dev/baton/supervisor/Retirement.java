package dev.baton.supervisor;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The retirement of workers that no longer serve: SIGTERM, then SIGKILL once the drain timeout is over; at most
 * {@code maxDraining} old workers drain at once (past that the oldest gets SIGKILL); on a stop every
 * worker goes the same way, and a worker that never got ready is stopped and waited for.
 *
 * <p>Holds no state of its own: the workers are {@link SupervisorMachine}'s, their states their own.
 */
final class Retirement {

    /** How long a worker has after SIGTERM when no drain timeout applies (it never served), and after SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");

    private final Duration drainTimeout;
    private final int maxDraining;
    private final SupervisorMachine machine;
    private final Scheduler scheduler;
    private final String logPrefix;
    /** Told how long each retired worker took from SIGTERM to its exit, which ends its drain. */
    private final Consumer<Duration> drained;

    Retirement(Duration drainTimeout, int maxDraining, SupervisorMachine machine, Scheduler scheduler,
            String logPrefix) {
        this(drainTimeout, maxDraining, machine, scheduler, logPrefix, took -> { });
    }

    Retirement(Duration drainTimeout, int maxDraining, SupervisorMachine machine, Scheduler scheduler,
            String logPrefix, Consumer<Duration> drained) {
        this.drained = drained;
        this.drainTimeout = drainTimeout;
        this.maxDraining = maxDraining;
        this.machine = machine;
        this.scheduler = scheduler;
        this.logPrefix = logPrefix;
    }

    /** Sends SIGTERM to a worker that no longer serves; SIGKILL after the drain timeout; enforces the cap. */
    void retire(Worker worker, String why) {
        if (!worker.moveTo(Worker.State.DRAINING)) {
            return;
        }
        worker.drainUntil(System.currentTimeMillis() + drainTimeout.toMillis());
        LOG.log(Level.INFO, logPrefix + worker.describe() + " drains (" + why + "): SIGTERM, SIGKILL after "
                + drainTimeout.toSeconds() + "s");
        long signalled = System.nanoTime();
        worker.terminate();
        worker.exit.thenRun(() -> drained.accept(Duration.ofNanos(System.nanoTime() - signalled)));
        killAfter(worker, drainTimeout, " (" + drainTimeout.toSeconds() + "s)");
        List<Worker> draining = machine.workers().stream()
                .filter(w -> w.state() == Worker.State.DRAINING && !w.wasKilled()).toList();
        for (int i = 0; i < draining.size() - maxDraining; i++) {
            Worker oldest = draining.get(i);
            LOG.log(Level.WARNING, logPrefix + draining.size() + " old workers drain, more than the cap of "
                    + maxDraining + ": SIGKILL to the oldest, " + oldest.describe());
            oldest.kill();
        }
    }

    /**
     * Gives SIGKILL to {@code worker} after {@code delay} if it still runs then.
     *
     * @param timeoutText said after "the drain timeout" in the log line, such as {@code " (30s)"}
     */
    void killAfter(Worker worker, Duration delay, String timeoutText) {
        scheduler.schedule(delay, () -> {
            if (!worker.exit.isDone()) {
                LOG.log(Level.WARNING, logPrefix + worker.describe() + " still drains after the drain timeout"
                        + timeoutText + ": SIGKILL");
                worker.kill();
            }
        });
    }

    /** Stops a worker that never served: SIGTERM, SIGKILL after {@code grace}; waits until it is reaped. */
    void stopUnready(Worker worker, Duration grace) {
        worker.moveTo(Worker.State.STOPPING);
        worker.terminate();
        try {
            worker.exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, logPrefix + worker.describe() + " did not exit within " + grace.toSeconds()
                    + "s of SIGTERM: SIGKILL");
            worker.kill();
            try {
                worker.exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException again) {
                LOG.log(Level.ERROR, logPrefix + worker.describe() + " did not exit after SIGKILL");
            }
        } catch (ExecutionException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Ends every worker for a stop: SIGKILL if {@code now}, else SIGTERM and SIGKILL after the drain
     * timeout; returns once all are reaped (or {@link #STOP_GRACE} after SIGKILL, logged).
     */
    void stopAll(boolean now) {
        for (Worker worker : machine.workers()) {
            if (now) {
                worker.kill();
            } else {
                worker.moveTo(Worker.State.STOPPING);
                worker.terminate();
            }
        }
        if (machine.awaitNoWorkers(drainTimeout)) {
            return;
        }
        for (Worker worker : machine.workers()) {
            LOG.log(Level.WARNING, logPrefix + worker.describe() + " still runs after the drain timeout: SIGKILL");
            worker.kill();
        }
        if (!machine.awaitNoWorkers(STOP_GRACE)) {
            LOG.log(Level.ERROR, logPrefix + "workers still run after SIGKILL; exiting without them");
        }
    }
}
