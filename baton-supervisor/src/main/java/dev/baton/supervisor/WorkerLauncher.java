package dev.baton.supervisor;

import dev.baton.internal.os.ChildProcesses.ExitStatus;
import dev.baton.internal.os.HeldSignals;
import dev.baton.internal.service.AotCache;
import dev.baton.internal.service.ExitDescription;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The launcher of workers, which starts one and waits for its readiness: it runs the command with the
 * listeners and the worker's environment, has the reaper watch it, and waits until it is ready,
 * exits, times out or the supervisor stops; a worker that failed is stopped and reaped before
 * {@link #launch} returns.
 *
 * <p>Runs on the caller's thread, which it blocks (a platform thread, or a control connection's).
 */
final class WorkerLauncher {

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");
    /** What the supervisor's own environment says about itself, not about its workers. */
    private static final List<String> NOT_INHERITED = List.of("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
            "NOTIFY_SOCKET", "BATON_SUPERVISOR_PID", "BATON_GENERATION", "BATON_UPGRADE_SOCKET", "BATON_UPGRADE_PID",
            SupervisorState.VARIABLE, SelfExec.PROGRAM_OVERRIDE, HeldSignals.VARIABLE, SelfCheck.VARIABLE);

    private final SupervisorOptions options;
    private final Path controlDirectory;
    private final Map<String, String> workerEnvironment;
    private final SupervisedListeners listeners;
    private final PrintStream out;
    private final PrintStream err;
    private final String logPrefix;
    private final SupervisorMachine machine;
    private final Reaper reaper;
    private final Retirement retirement;
    private final ReadinessWatch readiness;
    private final CompletableFuture<String> stopRequested;
    private final OrphanSentinel sentinel;
    private final Optional<AotCache> aotCache;

    /**
     * @param environment the supervisor's environment; workers get it without what describes the
     *     supervisor itself, with {@code BATON_SUPERVISOR_PID}
     * @param stopRequested completes with the trigger when the supervisor stops: a wait for readiness ends then
     * @param sentinel what ends the workers if this supervisor dies, or null where it could not be started
     */
    WorkerLauncher(SupervisorOptions options, Path controlDirectory, Map<String, String> environment, long pid,
            SupervisedListeners listeners, PrintStream out, PrintStream err, String logPrefix,
            SupervisorMachine machine, Reaper reaper, Retirement retirement, ReadinessWatch readiness,
            CompletableFuture<String> stopRequested, OrphanSentinel sentinel) {
        this.options = options;
        this.controlDirectory = controlDirectory;
        Map<String, String> env = new HashMap<>(environment);
        NOT_INHERITED.forEach(env::remove);
        env.put("BATON_SUPERVISOR_PID", Long.toString(pid));
        this.workerEnvironment = Map.copyOf(env);
        this.listeners = listeners;
        this.out = out;
        this.err = err;
        this.logPrefix = logPrefix;
        this.machine = machine;
        this.reaper = reaper;
        this.retirement = retirement;
        this.readiness = readiness;
        this.stopRequested = stopRequested;
        this.sentinel = sentinel;
        this.aotCache = AotCache.of(options.aotCache(), environment);
    }

    /** Starts worker {@code generation} ({@code why} is logged) and waits as described above. */
    LaunchAttempt launch(int generation, String why) {
        LaunchAttempt attempt = new LaunchAttempt(generation);
        Map<String, String> env = new HashMap<>(workerEnvironment);
        env.put("BATON_GENERATION", Integer.toString(generation));
        Path notifyPath = options.readiness() instanceof Readiness.Notify
                ? controlDirectory.resolve(options.name() + ".worker-" + generation + ".notify")
                : null;
        // A Java worker records the AOT cache, or starts from it, as an in-process successor does.
        AotCache.Prepared command = AotCache.prepare(aotCache, options.command(), logPrefix);
        Worker worker;
        try {
            worker = Worker.start(generation, command.command(), env, listeners, notifyPath, out, err, logPrefix);
            command.started().accept(worker.pid());
        } catch (IOException e) {
            attempt.failure = "could not be started: " + e.getMessage(); // not the cache's doing: nothing ran
            LOG.log(Level.ERROR, logPrefix + "worker " + generation + " " + attempt.failure);
            return attempt;
        }
        attempt.worker = worker;
        machine.launched(worker);
        follow(worker);
        LOG.log(Level.INFO, logPrefix + "started " + worker.describe() + " (" + why + "); waiting for readiness "
                + options.readiness() + ", at most " + options.readyTimeout().toSeconds() + "s");
        readiness.watch(worker);
        attempt.failure = awaitReady(worker);
        machine.settled(worker);
        if (attempt.failure != null) {
            LOG.log(Level.WARNING, logPrefix + worker.describe() + " " + attempt.failure);
            command.failedBeforeReady().apply(attempt.failure); // the cache logs what the JVM said
            if (!worker.exit.isDone()) {
                attempt.stoppedByUs = true;
                retirement.stopUnready(worker, Retirement.STOP_GRACE);
            }
        }
        return attempt;
    }

    /** Has the reaper and the sentinel watch {@code worker} and the state machine learn of its exit. */
    void follow(Worker worker) {
        worker.exit.whenComplete((status, failure) -> machine.exited(worker, status));
        if (sentinel != null) {
            sentinel.watch(worker);
        }
        reaper.watch(worker);
    }

    /** Null once ready, else why not. */
    private String awaitReady(Worker worker) {
        try {
            CompletableFuture.anyOf(worker.ready, worker.exit, stopRequested)
                    .get(options.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "was not ready within " + options.readyTimeout().toSeconds() + "s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "was abandoned: interrupted";
        } catch (ExecutionException e) {
            return "failed: " + e.getCause();
        }
        if (worker.exit.isDone()) {
            ExitStatus status = worker.exit.join();
            return ExitDescription.of(status.code(), status.signal()) + " before it was ready";
        }
        if (!worker.ready.isDone()) {
            return "was abandoned: " + stopRequested.getNow("the supervisor is stopping");
        }
        return null;
    }
}
