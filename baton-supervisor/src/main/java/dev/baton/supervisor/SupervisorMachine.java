package dev.baton.supervisor;

import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import dev.baton.internal.os.ChildProcesses.ExitStatus;
import dev.baton.internal.protocol.Message.ListenerSpec;
import dev.baton.internal.service.ExitDescription;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The supervisor's state machine: its {@link State}, the workers it knows, which one serves and which
 * one is starting, the generation counter, the restart backoff and the last reload's outcome.
 *
 * <p>Concurrency, the rules in one place: this object's monitor guards every mutable field, and
 * nothing else does. Each method holds it for one transition and returns what the caller must do next
 * (launch a worker, signal one, retire one); nothing blocks under it except {@link #awaitNoWorkers},
 * which waits on it. Under it this class calls only a {@link Worker}'s own monitor ({@code moveTo},
 * {@code state}, {@code carry}, {@code info}) and the restart seam, which only queues a timer.
 * Lock order: this monitor, then a worker's; a worker never calls in here while it holds its own
 * (its exit future completes outside it), so the order cannot invert. Callers run on any thread: a
 * control connection's, a signal's, the reaper's, a timer's.
 */
final class SupervisorMachine {

    /** The supervisor's own states. */
    enum State {
        STARTING, SERVING, RELOADING, RESTARTING,
        /** Preparing to re-execute itself; a stop now is carried out once the upgrade failed. */
        UPGRADING,
        /** Committed to {@code execve}: a stop now is lost (the new image starts afresh). */
        EXECUTING,
        STOPPING, STOPPED;

        /** The state {@code baton status} shows: {@link #EXECUTING} is still upgrading. */
        ServiceStatus.State shown() {
            return ServiceStatus.State.valueOf((this == EXECUTING ? UPGRADING : this).name());
        }
    }

    /** A stop asked for while the supervisor upgraded itself: carried out once the upgrade failed. */
    record PendingStop(boolean now, String trigger) {}

    /** A reload that may begin ({@code refusal} null: {@code old} serves, {@code generation} starts), or why not. */
    record ReloadStart(String refusal, Worker old, int generation, long servingPid) {}

    /** How a reload ended, and the worker it replaced (null if none), which the caller retires. */
    record ReloadEnd(UpgradeResult result, Worker retired) {}

    /** What a stop request asks of the caller. */
    enum StopAction { NONE, KILL_ALL, STOP_ALL }

    /** A stop request's action and the workers it applies to. */
    record Stop(StopAction action, List<Worker> workers) {}

    /** After a failed upgrade of the supervisor: the stop that waited for it (or null), and whether no worker serves. */
    record Rollback(PendingStop stop, boolean restarting) {}

    /** What the new program image carries of this state; worker descriptors are added to the caller's list. */
    record Carried(List<SupervisorState.CarriedWorker> workers, int nextGeneration, long backoffMillis,
            String lastReload) {}

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");

    private final String logPrefix;
    private final Consumer<Duration> restartAfter;
    private final List<Worker> workers = new ArrayList<>();
    private final RestartBackoff backoff = new RestartBackoff();
    private State state;
    private Worker serving;
    private Worker starting;
    private int nextGeneration = 1;
    private String lastReload = "none";
    /** Non-null only in {@link State#UPGRADING}. */
    private PendingStop pendingStop;

    /**
     * @param upgrading whether this is the new program image of a supervisor that re-executed itself
     * @param restartAfter asked, under the monitor, to run a restart after the given delay; it must only queue it
     */
    SupervisorMachine(String logPrefix, boolean upgrading, Consumer<Duration> restartAfter) {
        this.logPrefix = logPrefix;
        this.restartAfter = restartAfter;
        this.state = upgrading ? State.UPGRADING : State.STARTING;
    }

    synchronized State state() {
        return state;
    }

    // ---- launching ---------------------------------------------------------------------------------

    /** The first worker's generation; only once, while starting. */
    synchronized int beginStart() {
        if (state != State.STARTING || nextGeneration != 1) {
            throw new IllegalStateException("start() called in state " + state);
        }
        return nextGeneration++;
    }

    /** The first worker is ready: it serves, unless a stop came first; returns whether it serves. */
    synchronized boolean firstReady(Worker worker) {
        if (state != State.STARTING) {
            return false;
        }
        worker.moveTo(Worker.State.SERVING);
        serving = worker;
        starting = null;
        state = State.SERVING;
        return true;
    }

    /** A worker was started and is waited for. */
    synchronized void launched(Worker worker) {
        workers.add(worker);
        starting = worker;
    }

    /** The wait for {@code worker}'s readiness is over, one way or the other. */
    synchronized void settled(Worker worker) {
        if (starting == worker) {
            starting = null;
        }
    }

    // ---- reload ------------------------------------------------------------------------------------

    synchronized ReloadStart beginReload() {
        String refusal = SupervisorRefusals.reload(state, starting);
        if (refusal != null) {
            return new ReloadStart(refusal, null, 0, serving == null ? 0 : serving.pid());
        }
        state = State.RELOADING;
        return new ReloadStart(null, serving, nextGeneration++, serving.pid());
    }

    /** The reload's new worker is ready or failed: it serves, or the old one goes on (or a restart begins). */
    synchronized ReloadEnd endReload(LaunchAttempt attempt, Worker old) {
        UpgradeResult result;
        Worker retired = null;
        if (attempt.failure == null && state == State.RELOADING && attempt.worker.moveTo(Worker.State.SERVING)) {
            retired = serving;
            serving = attempt.worker;
            state = State.SERVING;
            result = new UpgradeResult(UpgradeResult.Outcome.SUCCEEDED, old.pid(), attempt.worker.pid(),
                    attempt.generation, Duration.ofMillis(attempt.millis()), attempt.worker.describe()
                    + " is ready after " + attempt.millis() + " ms; " + (retired == null ? "no worker was serving"
                    : retired.describe() + " drains"), List.of());
        } else {
            String failure = attempt.failure != null ? attempt.failure
                    : state != State.RELOADING ? "was ready, but the supervisor is stopping" : "exited once ready";
            if (state == State.RELOADING) {
                state = serving != null ? State.SERVING : State.RESTARTING;
                if (serving == null) {
                    scheduleRestart();
                }
            }
            result = new UpgradeResult(UpgradeResult.Outcome.FAILED, old.pid(),
                    attempt.worker == null ? 0 : attempt.worker.pid(), attempt.generation,
                    Duration.ofMillis(attempt.millis()), attempt.describeWorker() + " " + failure
                    + (attempt.stoppedByUs ? "; stopped it" : "")
                    + (serving != null ? "; " + serving.describe() + " still serves"
                    : "; no worker serves, restarting"), List.of());
        }
        lastReload = result.message();
        return new ReloadEnd(result, retired);
    }

    // ---- crashes and restarts ----------------------------------------------------------------------

    /** {@code worker} has exited and been reaped (called once per worker, on the reaper thread). */
    synchronized void exited(Worker worker, ExitStatus status) {
        String ended = ExitDescription.of(status.code(), status.signal());
        workers.remove(worker);
        if (workers.isEmpty()) {
                notifyAll(); // awaitNoWorkers
        }
        if (worker == serving) {
            serving = null;
            if (state == State.SERVING || state == State.RELOADING) {
                Duration served = worker.servedFor();
                backoff.crashedAfter(served);
                LOG.log(Level.WARNING, logPrefix + worker.describe() + " " + ended
                        + " on its own after serving " + served.toMillis() + " ms; the listeners stay open, "
                        + (state == State.RELOADING ? "the reload's new worker takes over if it gets ready"
                        : "restarting in " + backoff.current().toMillis() + " ms"));
                if (state == State.SERVING) {
                    state = State.RESTARTING;
                    scheduleRestart();
                }
            } else {
                LOG.log(Level.INFO, logPrefix + worker.describe() + " " + ended);
            }
        } else if (worker.state() != Worker.State.STARTING) {
            LOG.log(Level.INFO, logPrefix + worker.describe() + " " + ended
                    + (worker.wasKilled() ? " (killed)" : ""));
        }
    }

    /** Under the monitor, no worker serving: a restart after the current backoff, which then doubles. */
    private void scheduleRestart() {
        restartAfter.accept(backoff.next());
    }

    /** The generation a restart starts, or empty if no restart is due any more. */
    synchronized OptionalInt beginRestart() {
        return state == State.RESTARTING ? OptionalInt.of(nextGeneration++) : OptionalInt.empty();
    }

    /** The restart's worker is ready (it serves) or failed (the next try is scheduled). */
    synchronized void endRestart(LaunchAttempt attempt) {
        if (state != State.RESTARTING) {
            return; // stopping: the stop ends this worker too
        }
        if (attempt.failure == null && attempt.worker.moveTo(Worker.State.SERVING)) {
            serving = attempt.worker;
            state = State.SERVING;
            LOG.log(Level.INFO, logPrefix + "restarted: " + attempt.worker.describe() + " is ready after "
                    + attempt.millis() + " ms; serving");
        } else {
            LOG.log(Level.WARNING, logPrefix + "restart failed: worker " + attempt.generation + " "
                    + (attempt.failure != null ? attempt.failure : "exited once ready") + "; next try in "
                    + backoff.current().toMillis() + " ms");
            scheduleRestart();
        }
    }

    // ---- stop --------------------------------------------------------------------------------------

    /** A stop request: what to do with which workers (nothing if stopped, deferred or lost during an upgrade). */
    synchronized Stop beginStop(boolean now, String trigger) {
        switch (state) {
            case STOPPED -> {
                return new Stop(StopAction.NONE, List.of());
            }
            case STOPPING -> {
                LOG.log(Level.WARNING, logPrefix + trigger + " while stopping: SIGKILL to every worker");
                return new Stop(StopAction.KILL_ALL, List.copyOf(workers));
            }
            case EXECUTING -> {
                LOG.log(Level.WARNING, logPrefix + trigger + " arrived while the supervisor re-executes itself;"
                        + " it is lost: ask again once the upgrade is done");
                return new Stop(StopAction.NONE, List.of());
            }
            case UPGRADING -> {
                pendingStop = new PendingStop(now || (pendingStop != null && pendingStop.now()), trigger);
                LOG.log(Level.WARNING, logPrefix + trigger + " while the supervisor upgrades itself: the upgrade is"
                        + " abandoned, then it stops");
                return new Stop(StopAction.NONE, List.of());
            }
            default -> {
                state = State.STOPPING;
                return new Stop(StopAction.STOP_ALL, List.copyOf(workers));
            }
        }
    }

    /** Every worker still running (not yet reaped). */
    synchronized List<Worker> workers() {
        return List.copyOf(workers);
    }

    synchronized int workerCount() {
        return workers.size();
    }

    /** Waits at most {@code timeout} until every worker has been reaped; returns whether they have. */
    synchronized boolean awaitNoWorkers(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!workers.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The stop is done. */
    synchronized void stopped() {
        state = State.STOPPED;
    }

    // ---- upgrade of the supervisor itself ----------------------------------------------------------

    /** An upgrade of the supervisor begins, or the returned reason says why not. */
    synchronized String beginUpgrade() {
        String refusal = SupervisorRefusals.upgradeSelf(state);
        if (refusal == null) {
            state = State.UPGRADING;
            pendingStop = null;
        }
        return refusal;
    }

    /** What the new image carries of this state; each worker's duplicated descriptors are added to {@code fds}. */
    synchronized Carried carry(List<Integer> fds) throws IOException {
        List<SupervisorState.CarriedWorker> carried = new ArrayList<>();
        for (Worker worker : workers) {
            SupervisorState.CarriedWorker w = worker.carry();
            for (int fd : new int[] {w.stdoutFd(), w.stderrFd(), w.notifyFd()}) {
                if (fd >= 0) {
                    fds.add(fd);
                }
            }
            carried.add(w);
        }
        return new Carried(carried, nextGeneration, backoff.current().toMillis(), lastReload);
    }

    /**
     * Commits to {@code execve}: from now on a stop is lost.
     *
     * @throws IOException if a stop came meanwhile: the upgrade is abandoned
     */
    synchronized void commitExec() throws IOException {
        if (pendingStop != null) {
            throw new IOException("abandoned: " + pendingStop.trigger() + " asked the supervisor to stop");
        }
        state = State.EXECUTING;
    }

    /** The upgrade failed: back to serving (or restarting); returns the stop that waited for it, if any. */
    synchronized Rollback upgradeFailed() {
        PendingStop stop = pendingStop;
        pendingStop = null;
        boolean restarting = serving == null;
        if (state == State.UPGRADING || state == State.EXECUTING) {
            state = restarting ? State.RESTARTING : State.SERVING;
            if (restarting) {
                scheduleRestart();
            }
        }
        return new Rollback(stop, restarting);
    }

    /** A worker the previous program image started, re-attached by the new one. */
    synchronized void adopt(Worker worker) {
        workers.add(worker);
        if (worker.state() == Worker.State.SERVING) {
            serving = worker;
        }
    }

    /** The new image has taken over: the carried counters apply; returns whether no worker serves (restarting). */
    synchronized boolean tookOver(int carriedNextGeneration, long backoffMillis, String carriedLastReload) {
        nextGeneration = carriedNextGeneration;
        backoff.restore(backoffMillis);
        lastReload = carriedLastReload;
        boolean restarting = serving == null;
        state = restarting ? State.RESTARTING : State.SERVING;
        if (restarting) {
            scheduleRestart();
        }
        return restarting;
    }

    // ---- status ------------------------------------------------------------------------------------

    /** The supervisor's state for {@code baton status}: mode supervised, every live worker. */
    synchronized ServiceStatus status(long pid, String name, List<ListenerSpec> listeners) {
        List<ServiceStatus.ProcessStatus> processes = new ArrayList<>();
        for (Worker worker : workers) {
            processes.add(worker.info().status());
        }
        return new ServiceStatus(pid, name, ServiceStatus.Mode.SUPERVISED, state.shown(),
                listeners.stream().map(ListenerSpec::text).toList(), processes, lastReload);
    }
}
