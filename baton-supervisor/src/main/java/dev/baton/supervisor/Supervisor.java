package dev.baton.supervisor;

import dev.baton.UpgradeResult;
import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.ControlServer;
import dev.baton.internal.control.ReloadResults;
import dev.baton.internal.control.ControlSocket;
import dev.baton.internal.os.Availability;
import dev.baton.internal.os.ChildProcesses.ExitStatus;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.Message.ProcessInfo;
import dev.baton.internal.service.PidFile;
import dev.baton.internal.service.SystemdNotifier;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A supervisor: a process with a stable pid that owns the listening sockets and runs workers of any
 * language on them, replacing a worker on reload only once its successor is ready, and restarting a
 * worker that crashed while the sockets keep queueing connections.
 *
 * <p>Use: {@link #open} (binds the listeners and the control socket; fails on bad input), then
 * {@link #start} (the first worker, until it is ready), then {@link #awaitStopped}. Triggers:
 * {@link #reload}, {@link #stop}, the control socket ({@code baton reload | status | stop}) and, after
 * {@link #handleSignals}, SIGHUP/SIGUSR2 (reload) and SIGTERM/SIGINT (stop).
 *
 * <p>Concurrency: {@code lock} guards {@code state}, {@code serving}, {@code starting},
 * {@code workers}, {@code nextGeneration}, {@code backoff} and {@code lastReload}; every state change
 * happens under it. Blocking work (starting a worker and waiting for it, stopping one) runs outside
 * it on the caller's thread: a control connection's, a signal's {@code baton-reload} thread, or a
 * {@code baton-restart} thread. One reload or restart at a time: the states {@code RELOADING} and
 * {@code RESTARTING} refuse a second. Timers (drain deadlines, restart backoff, readiness delays) run
 * on one scheduler thread and only signal or hand work on.
 */
public final class Supervisor {

    /** The supervisor's own states. */
    enum State { STARTING, SERVING, RELOADING, RESTARTING, UPGRADING, STOPPING, STOPPED }

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration HEALTHY_AFTER = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration OUTPUT_WAIT = Duration.ofSeconds(2);
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> NOT_INHERITED = List.of("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
            "NOTIFY_SOCKET", "BATON_SUPERVISOR_PID", "BATON_GENERATION", "BATON_UPGRADE_SOCKET", "BATON_UPGRADE_PID",
            SupervisorState.VARIABLE, SelfExec.PROGRAM_OVERRIDE);
    private static final Duration UPGRADE_QUIET_WAIT = Duration.ofSeconds(5);

    private final SupervisorOptions options;
    private final long pid;
    private final long startedEpochMillis = System.currentTimeMillis();
    private final String logPrefix;
    private final SupervisedListeners listeners;
    private final Path controlDirectory;
    private final Path controlPath;
    private final ControlServer controlServer;
    private final Reaper reaper;
    private final Map<String, String> workerEnvironment;
    private final Map<String, String> environment;
    /** Counted down once a new program image has taken over what the old one carried (at once otherwise). */
    private final CountDownLatch adopted = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger activeRequests = new java.util.concurrent.atomic.AtomicInteger();
    private final SystemdNotifier systemd;
    private final PidFile pidFile;
    private final PrintStream out;
    private final PrintStream err;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("baton-supervisor-timer").factory());
    private final CompletableFuture<String> stopRequested = new CompletableFuture<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.STARTING;
    private Worker serving;
    private Worker starting;
    private final List<Worker> workers = new ArrayList<>();
    private final java.util.concurrent.locks.Condition noWorkers = lock.newCondition();
    private int nextGeneration = 1;
    private boolean adoptedWorkers;
    private Duration backoff = FIRST_BACKOFF;
    private String lastReload = "none";
    private PendingStop pendingStop;
    private boolean execCommitted;

    /** A stop asked for while the supervisor upgraded itself: carried out once the upgrade failed. */
    private record PendingStop(boolean now, String trigger) {}

    private Supervisor(SupervisorOptions options, Map<String, String> environment, PrintStream out, PrintStream err,
            SupervisorState carried) throws IOException {
        this.options = options;
        this.environment = Map.copyOf(environment);
        this.pid = ProcessHandle.current().pid();
        this.logPrefix = "[supervisor " + options.name() + " pid " + pid + "] ";
        this.out = out;
        this.err = err;
        this.controlDirectory = options.controlDirectory() != null ? options.controlDirectory()
                : ControlSocket.directory(environment);
        ControlSocket.checkName(options.name());
        ControlSocket.prepareDirectory(controlDirectory);
        this.controlPath = ControlSocket.path(controlDirectory, options.name());
        this.pidFile = options.pidFile() == null ? null : PidFile.at(options.pidFile());
        if (carried != null) {
            // A new program image of this process: nothing is bound, and on failure nothing is closed or
            // removed, since the workers go on serving on their copies of the listeners.
            state = State.UPGRADING;
            this.listeners = SupervisedListeners.adopt(carried.listeners());
            int controlFd = adoptControlSocket(carried.controlFd(), controlPath);
            this.reaper = new Reaper();
            this.controlServer = ControlServer.start(controlFd, this::handleControl, CONTROL_TIMEOUT, logPrefix);
        } else {
            adopted.countDown();
            this.listeners = SupervisedListeners.open(options.listeners(), environment, pid, options.backlog());
            int controlFd;
            try {
                controlFd = ControlSocket.bind(controlPath, options.name());
            } catch (IOException e) {
                listeners.close();
                throw e;
            }
            try {
                this.reaper = new Reaper();
                this.controlServer = ControlServer.start(controlFd, this::handleControl, CONTROL_TIMEOUT, logPrefix);
            } catch (IOException | RuntimeException e) {
                Descriptors.closeQuietly(controlFd);
                Files.deleteIfExists(controlPath);
                listeners.close();
                throw e;
            }
        }
        Map<String, String> env = new HashMap<>(environment);
        NOT_INHERITED.forEach(env::remove);
        env.put("BATON_SUPERVISOR_PID", Long.toString(pid));
        this.workerEnvironment = Map.copyOf(env);
        this.systemd = SystemdNotifier.fromEnvironment(environment, logPrefix);
        if (pidFile != null) {
            pidFile.write(pid);
        }
    }

    /**
     * Binds the listeners (or takes them from socket activation) and claims the control socket.
     *
     * @param out where workers' standard output goes, each line prefixed
     * @param err where workers' standard error goes, each line prefixed
     * @throws IOException if a listener cannot be bound, the control directory is unsafe, or another
     *     service of that name runs; the message says what to do
     */
    public static Supervisor open(SupervisorOptions options, PrintStream out, PrintStream err) throws IOException {
        Availability.ensureSupervisorAvailable(); // before anything starts: what is missing, not an UnsatisfiedLinkError
        Map<String, String> environment = System.getenv();
        String carried = environment.get(SupervisorState.VARIABLE);
        if (carried != null) {
            return takeOver(options, environment, carried, out, err);
        }
        Supervisor supervisor = new Supervisor(options, environment, out, err, null);
        LOG.log(Level.INFO, supervisor.logPrefix + "listening on " + supervisor.listeners.specs().stream()
                .map(l -> l.name() + "=" + l.address()).toList() + "; control socket " + supervisor.controlPath
                + "; readiness " + options.readiness());
        return supervisor;
    }

    /** Answers SIGHUP and SIGUSR2 (reload), SIGTERM and SIGINT (stop), from now on. */
    public void handleSignals() {
        SupervisorSignals.install(this);
    }

    public long pid() {
        return pid;
    }

    /** The control socket's path. */
    public Path controlPath() {
        return controlPath;
    }

    // ---- start -------------------------------------------------------------------------------------

    /**
     * Starts the first worker and waits until it is ready.
     *
     * @throws IOException if it exits or is not ready in time; it is stopped and so is this supervisor,
     *     and the message carries its exit status and last lines of output
     */
    public void start() throws IOException {
        int generation;
        lock.lock();
        try {
            if (adoptedWorkers) {
                return; // a new program image of an upgraded supervisor: its workers already serve
            }
            if (state != State.STARTING || nextGeneration != 1) {
                throw new IllegalStateException("start() called in state " + state);
            }
            generation = nextGeneration++;
        } finally {
            lock.unlock();
        }
        Attempt attempt = launch(generation, "start");
        if (attempt.failure == null) {
            lock.lock();
            try {
                if (state == State.STARTING) {
                    attempt.worker.moveTo(Worker.State.SERVING);
                    serving = attempt.worker;
                    starting = null;
                    state = State.SERVING;
                    attempt.failure = null;
                } else {
                    attempt.failure = "was started, but the supervisor is stopping";
                }
            } finally {
                lock.unlock();
            }
        }
        if (attempt.failure == null) {
            LOG.log(Level.INFO, logPrefix + attempt.worker.describe() + " is ready after " + attempt.millis()
                    + " ms; serving");
            systemd.send("READY=1\nMAINPID=" + pid + "\nSTATUS=serving with worker " + generation);
            return;
        }
        if (stopRequested.isDone()) {
            return; // stopped while starting: awaitStopped() returns once the stop is done
        }
        List<String> lines = attempt.worker == null ? List.of() : attempt.worker.lastLines(OUTPUT_WAIT);
        stop(true, "the first worker failed");
        awaitStopped(STOP_GRACE.plus(STOP_GRACE));
        throw new IOException("the first worker " + (attempt.worker == null ? "" : "(pid " + attempt.worker.pid()
                + ") ") + attempt.failure + "; command: " + String.join(" ", options.command())
                + (lines.isEmpty() ? "" : "\nits last lines of output:\n  " + String.join("\n  ", lines)));
    }

    /** A worker being started: who, and why it failed (null once ready). */
    private static final class Attempt {
        Worker worker;
        String failure;
        boolean stoppedByUs;
        long startNanos = System.nanoTime();

        long millis() {
            return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        }
    }

    /**
     * Starts worker {@code generation} and waits until it is ready, exits, times out, or the
     * supervisor stops. A worker that failed is stopped (and reaped) before this returns.
     */
    private Attempt launch(int generation, String why) {
        Attempt attempt = new Attempt();
        Map<String, String> env = new HashMap<>(workerEnvironment);
        env.put("BATON_GENERATION", Integer.toString(generation));
        Path notifyPath = options.readiness() instanceof Readiness.Notify
                ? controlDirectory.resolve(options.name() + ".worker-" + generation + ".notify")
                : null;
        Worker worker;
        try {
            worker = Worker.start(generation, options.command(), env, listeners, notifyPath, out, err, logPrefix);
        } catch (IOException e) {
            attempt.failure = "could not be started: " + e.getMessage();
            LOG.log(Level.ERROR, logPrefix + "worker " + generation + " " + attempt.failure);
            return attempt;
        }
        attempt.worker = worker;
        lock.lock();
        try {
            workers.add(worker);
            starting = worker;
        } finally {
            lock.unlock();
        }
        worker.exit.whenComplete((status, failure) -> exited(worker, status));
        reaper.watch(worker);
        LOG.log(Level.INFO, logPrefix + "started " + worker.describe() + " (" + why + "); waiting for readiness "
                + options.readiness() + ", at most " + options.readyTimeout().toSeconds() + "s");
        watchReadiness(worker);
        attempt.failure = awaitReady(worker);
        lock.lock();
        try {
            if (starting == worker) {
                starting = null;
            }
        } finally {
            lock.unlock();
        }
        if (attempt.failure != null) {
            LOG.log(Level.WARNING, logPrefix + worker.describe() + " " + attempt.failure);
            if (!worker.exit.isDone()) {
                attempt.stoppedByUs = true;
                stopWorker(worker, STOP_GRACE);
            }
        }
        return attempt;
    }

    private void watchReadiness(Worker worker) {
        switch (options.readiness()) {
            case Readiness.Notify _ -> { } // the notify socket completes it
            case Readiness.Delay delay -> timer.schedule(() -> worker.ready.complete(null),
                    delay.delay().toMillis(), TimeUnit.MILLISECONDS);
            case Readiness.Tcp tcp -> Thread.ofVirtual().name("baton-ready-probe").start(() -> {
                while (!worker.ready.isDone() && !worker.exit.isDone()) {
                    try (Socket probe = new Socket()) {
                        probe.connect(new InetSocketAddress("127.0.0.1", tcp.port()), 1000);
                        worker.ready.complete(null);
                    } catch (IOException notYet) {
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
        }
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
            return worker.exit.join().describe() + " before it was ready";
        }
        if (!worker.ready.isDone()) {
            return "was abandoned: " + stopRequested.getNow("the supervisor is stopping");
        }
        return null;
    }

    // ---- reload ------------------------------------------------------------------------------------

    /** Starts a reload on a thread of its own (for signals). */
    public void reloadInBackground(String trigger) {
        Thread.ofPlatform().name("baton-reload").start(() -> reload(trigger));
    }

    /**
     * Replaces the serving worker: runs the command again with the same sockets; once the new worker
     * is ready, the old one gets SIGTERM (and SIGKILL after the drain timeout). A new worker that exits
     * or is not ready in time is stopped, and the old one keeps serving.
     */
    public UpgradeResult reload(String trigger) {
        Worker old;
        int generation;
        lock.lock();
        try {
            String refusal = switch (state) {
                case STARTING -> "the first worker is not ready yet";
                case SERVING -> null;
                case RELOADING -> "a reload is already under way (" + (starting == null ? "worker starting"
                        : starting.describe() + " starting") + ")";
                case RESTARTING -> "no worker serves: a restart after a crash is under way; try again once it serves";
                case UPGRADING -> "the supervisor is upgrading itself in place; try again once it is done";
                case STOPPING, STOPPED -> "the supervisor is stopping";
            };
            if (refusal != null) {
                LOG.log(Level.WARNING, logPrefix + "reload requested by " + trigger + " refused: " + refusal);
                return new UpgradeResult(UpgradeResult.Outcome.REFUSED, serving == null ? 0 : serving.pid(), 0, 0,
                        Duration.ZERO, refusal, List.of());
            }
            state = State.RELOADING;
            old = serving;
            generation = nextGeneration++;
        } finally {
            lock.unlock();
        }
        LOG.log(Level.INFO, logPrefix + "reload requested by " + trigger + ": starting worker " + generation
                + "; " + old.describe() + " serves meanwhile");
        Attempt attempt = launch(generation, "reload by " + trigger);
        UpgradeResult result;
        Worker retired = null;
        lock.lock();
        try {
            if (attempt.failure == null && state == State.RELOADING && attempt.worker.moveTo(Worker.State.SERVING)) {
                retired = serving;
                serving = attempt.worker;
                state = State.SERVING;
                result = new UpgradeResult(UpgradeResult.Outcome.SUCCEEDED, old.pid(), attempt.worker.pid(), generation,
                        Duration.ofMillis(attempt.millis()), attempt.worker.describe() + " is ready after "
                        + attempt.millis() + " ms; " + (retired == null ? "no worker was serving"
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
                        attempt.worker == null ? 0 : attempt.worker.pid(), generation,
                        Duration.ofMillis(attempt.millis()), "worker " + generation
                        + (attempt.worker == null ? "" : " (pid " + attempt.worker.pid() + ")") + " " + failure
                        + (attempt.stoppedByUs ? "; stopped it" : "")
                        + (serving != null ? "; " + serving.describe() + " still serves"
                        : "; no worker serves, restarting"), List.of());
            }
            lastReload = result.message();
        } finally {
            lock.unlock();
        }
        if (result.succeeded()) {
            LOG.log(Level.INFO, logPrefix + "reloaded: " + result.message());
            if (retired != null) {
                retire(retired, "replaced by " + attempt.worker.describe());
            }
            return result;
        }
        List<String> lines = attempt.worker == null ? List.of() : attempt.worker.lastLines(OUTPUT_WAIT);
        LOG.log(Level.WARNING, logPrefix + "reload failed: " + result.message()
                + (lines.isEmpty() ? "" : "; its last lines:\n  " + String.join("\n  ", lines)));
        return new UpgradeResult(result.outcome(), result.servingPid(), result.successorPid(),
                result.successorGeneration(), result.elapsed(), result.message(), lines);
    }

    /** Sends SIGTERM to a worker that no longer serves; SIGKILL after the drain timeout; enforces the cap. */
    private void retire(Worker worker, String why) {
        if (!worker.moveTo(Worker.State.DRAINING)) {
            return;
        }
        worker.drainUntil(System.currentTimeMillis() + options.drainTimeout().toMillis());
        LOG.log(Level.INFO, logPrefix + worker.describe() + " drains (" + why + "): SIGTERM, SIGKILL after "
                + options.drainTimeout().toSeconds() + "s");
        worker.terminate();
        timer.schedule(() -> {
            if (!worker.exit.isDone()) {
                LOG.log(Level.WARNING, logPrefix + worker.describe() + " still drains after the drain timeout ("
                        + options.drainTimeout().toSeconds() + "s): SIGKILL");
                worker.kill();
            }
        }, options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        List<Worker> draining;
        lock.lock();
        try {
            draining = workers.stream().filter(w -> w.state() == Worker.State.DRAINING && !w.wasKilled()).toList();
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < draining.size() - options.maxDrainingGenerations(); i++) {
            Worker oldest = draining.get(i);
            LOG.log(Level.WARNING, logPrefix + draining.size() + " old workers drain, more than the cap of "
                    + options.maxDrainingGenerations() + ": SIGKILL to the oldest, " + oldest.describe());
            oldest.kill();
        }
    }

    // ---- crashes and restarts ----------------------------------------------------------------------

    /** Called once per worker, when it has exited and been reaped (on the reaper thread). */
    private void exited(Worker worker, ExitStatus status) {
        lock.lock();
        try {
            workers.remove(worker);
            if (workers.isEmpty()) {
                noWorkers.signalAll();
            }
            if (worker == serving) {
                serving = null;
                if (state == State.SERVING || state == State.RELOADING) {
                    Duration served = worker.servedFor();
                    if (served.compareTo(HEALTHY_AFTER) >= 0) {
                        backoff = FIRST_BACKOFF;
                    }
                    LOG.log(Level.WARNING, logPrefix + worker.describe() + " " + status.describe()
                            + " on its own after serving " + served.toMillis() + " ms; the listeners stay open, "
                            + (state == State.RELOADING ? "the reload's new worker takes over if it gets ready"
                            : "restarting in " + backoff.toMillis() + " ms"));
                    if (state == State.SERVING) {
                        state = State.RESTARTING;
                        scheduleRestart();
                    }
                } else {
                    LOG.log(Level.INFO, logPrefix + worker.describe() + " " + status.describe());
                }
            } else if (worker.state() != Worker.State.STARTING) {
                LOG.log(Level.INFO, logPrefix + worker.describe() + " " + status.describe()
                        + (worker.wasKilled() ? " (killed)" : ""));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock, in state RESTARTING: a restart after the current backoff, which then doubles. */
    private void scheduleRestart() {
        Duration delay = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        timer.schedule(() -> Thread.ofPlatform().name("baton-restart").start(this::restart),
                delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restart() {
        int generation;
        lock.lock();
        try {
            if (state != State.RESTARTING) {
                return;
            }
            generation = nextGeneration++;
        } finally {
            lock.unlock();
        }
        Attempt attempt = launch(generation, "restart after a crash");
        lock.lock();
        try {
            if (state != State.RESTARTING) {
                return; // stopping: the stop ends this worker too
            }
            if (attempt.failure == null && attempt.worker.moveTo(Worker.State.SERVING)) {
                serving = attempt.worker;
                state = State.SERVING;
                LOG.log(Level.INFO, logPrefix + "restarted: " + attempt.worker.describe() + " is ready after "
                        + attempt.millis() + " ms; serving");
            } else {
                LOG.log(Level.WARNING, logPrefix + "restart failed: worker " + generation + " "
                        + (attempt.failure != null ? attempt.failure : "exited once ready") + "; next try in "
                        + backoff.toMillis() + " ms");
                scheduleRestart();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- stop --------------------------------------------------------------------------------------

    /**
     * Stops every worker (SIGTERM, then SIGKILL after the drain timeout; SIGKILL at once if {@code now}),
     * then the supervisor: the control socket, notify sockets and pidfile are removed. Returns at once;
     * {@link #awaitStopped} waits for the end. A second stop while stopping kills at once.
     */
    public void stop(boolean now, String trigger) {
        List<Worker> running;
        lock.lock();
        try {
            if (state == State.STOPPED) {
                return;
            }
            if (state == State.STOPPING) {
                LOG.log(Level.WARNING, logPrefix + trigger + " while stopping: SIGKILL to every worker");
                workers.forEach(Worker::kill);
                return;
            }
            if (state == State.UPGRADING) {
                if (execCommitted) {
                    LOG.log(Level.WARNING, logPrefix + trigger + " arrived while the supervisor re-executes itself;"
                            + " it is lost: ask again once the upgrade is done");
                } else {
                    pendingStop = new PendingStop(now || (pendingStop != null && pendingStop.now()), trigger);
                    LOG.log(Level.WARNING, logPrefix + trigger + " while the supervisor upgrades itself: the upgrade is"
                            + " abandoned, then it stops");
                }
                return;
            }
            state = State.STOPPING;
            running = List.copyOf(workers);
        } finally {
            lock.unlock();
        }
        stopRequested.complete(trigger);
        LOG.log(Level.INFO, logPrefix + "stopping (" + trigger + "): " + (now ? "SIGKILL to" : "SIGTERM to")
                + " " + running.size() + " workers" + (now ? "" : ", drain timeout "
                + options.drainTimeout().toSeconds() + "s"));
        systemd.send("STOPPING=1\nSTATUS=stopping");
        Thread.ofPlatform().name("baton-stop").start(() -> finishStop(now));
    }

    private void finishStop(boolean now) {
        List<Worker> running;
        lock.lock();
        try {
            running = List.copyOf(workers);
        } finally {
            lock.unlock();
        }
        for (Worker worker : running) {
            if (now) {
                worker.kill();
            } else {
                worker.moveTo(Worker.State.STOPPING);
                worker.terminate();
            }
        }
        if (!awaitNoWorkers(options.drainTimeout())) {
            lock.lock();
            try {
                for (Worker worker : workers) {
                    LOG.log(Level.WARNING, logPrefix + worker.describe() + " still runs after the drain timeout: "
                            + "SIGKILL");
                    worker.kill();
                }
            } finally {
                lock.unlock();
            }
            if (!awaitNoWorkers(STOP_GRACE)) {
                LOG.log(Level.ERROR, logPrefix + "workers still run after SIGKILL; exiting without them");
            }
        }
        controlServer.close();
        deleteQuietly(controlPath);
        listeners.close();
        if (pidFile != null) {
            deleteQuietly(pidFile.path());
        }
        timer.shutdownNow();
        lock.lock();
        try {
            state = State.STOPPED;
        } finally {
            lock.unlock();
        }
        LOG.log(Level.INFO, logPrefix + "stopped");
        stopped.countDown();
    }

    private boolean awaitNoWorkers(Duration timeout) {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!workers.isEmpty()) {
                if (left <= 0) {
                    return false;
                }
                left = noWorkers.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the supervisor has stopped. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Waits at most {@code timeout} until the supervisor has stopped; returns whether it has. */
    public boolean awaitStopped(Duration timeout) {
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- upgrade of the supervisor itself ----------------------------------------------------------

    /**
     * SIGUSR1: upgrades the supervisor in place on a thread of its own (see {@link #upgradeSelf}); the
     * outcome is logged.
     */
    void upgradeSelfInBackground(String trigger) {
        Thread.ofPlatform().name("baton-upgrade-supervisor").start(() -> reexecute(trigger, null));
    }

    /**
     * Re-executes this supervisor's own command line in place ({@code execve}: same pid, the workers
     * stay its children), carrying the listeners, the control socket, every worker (pid, generation,
     * state, output pipes, notify socket) and the counters; the new program image takes them over and
     * answers on {@code channel}'s connection, which is carried too. Returns only if that could not be
     * done: a refusal (only a serving supervisor upgrades, one thing at a time) or a failure, after
     * which everything is as it was and the supervisor goes on serving.
     */
    Message upgradeSelf(String trigger, ControlChannel channel) {
        CompletableFuture<Message> outcome = new CompletableFuture<>();
        // execve from a platform thread: the signal mask it resets belongs to one OS thread.
        Thread.ofPlatform().name("baton-upgrade-supervisor").start(() -> {
            try {
                outcome.complete(reexecute(trigger, channel));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        try {
            return outcome.join();
        } catch (java.util.concurrent.CompletionException e) {
            return new Message.UpgradeSupervisorResult(false, pid, workerCount(), 0,
                    "the upgrade failed unexpectedly: " + e.getCause());
        }
    }

    private Message reexecute(String trigger, ControlChannel channel) {
        long beganEpochMillis = System.currentTimeMillis();
        long began = System.nanoTime();
        lock.lock();
        try {
            String refusal = switch (state) {
                case STARTING -> "the first worker is not ready yet";
                case SERVING -> null;
                case RELOADING -> "a reload is under way; one thing at a time: try again once it is done";
                case RESTARTING -> "a restart after a crash is under way; try again once a worker serves";
                case UPGRADING -> "an upgrade of the supervisor is already under way";
                case STOPPING, STOPPED -> "the supervisor is stopping";
            };
            if (refusal != null) {
                LOG.log(Level.WARNING, logPrefix + "upgrade of the supervisor requested by " + trigger + " refused: "
                        + refusal);
                return new Message.Refused("cannot upgrade the supervisor now: " + refusal);
            }
            state = State.UPGRADING;
            pendingStop = null;
            execCommitted = false;
        } finally {
            lock.unlock();
        }
        LOG.log(Level.INFO, logPrefix + "upgrading the supervisor in place, requested by " + trigger
                + ": pausing the control socket and the reaper");
        List<Integer> carried = new ArrayList<>();
        int[] madeCloseOnExec = new int[0];
        try {
            SelfExec.Program program = SelfExec.program(environment);
            controlServer.pause();
            awaitQuietControl(channel == null ? 0 : 1);
            if (!reaper.pause()) {
                throw new IOException("the worker reaper did not pause");
            }
            SupervisorState snapshot = snapshot(trigger, beganEpochMillis, channel, carried);
            for (int fd : carried) {
                Descriptors.setCloseOnExec(fd, false);
            }
            madeCloseOnExec = dev.baton.internal.os.Exec.closeOnExecAllExcept(java.util.Set.copyOf(carried));
            List<String> environmentOfNewImage = SelfExec.environment(environment, snapshot.encode());
            String arguments = String.join(" ", program.arguments().subList(1, program.arguments().size()));
            LOG.log(Level.INFO, logPrefix + "re-executing " + program.path() + " ("
                    + (arguments.length() <= 160 ? arguments : arguments.substring(0, 160) + "...") + ") as pid " + pid
                    + ", carrying "
                    + snapshot.listeners().size() + " listeners, the control socket (fd " + snapshot.controlFd()
                    + ")" + (snapshot.replyFd() < 0 ? "" : ", the request's connection (fd " + snapshot.replyFd() + ")")
                    + " and " + snapshot.workers().size() + " workers " + snapshot.workers().stream()
                    .map(w -> "pid " + w.pid() + " (" + w.state() + ")").toList() + "; descriptors " + carried
                    + "; " + madeCloseOnExec.length + " others marked close-on-exec");
            out.flush();
            err.flush();
            System.out.flush();
            System.err.flush();
            lock.lock();
            try {
                if (pendingStop != null) {
                    throw new IOException("abandoned: " + pendingStop.trigger() + " asked the supervisor to stop");
                }
                execCommitted = true;
            } finally {
                lock.unlock();
            }
            dev.baton.internal.os.Exec.execve(program.path(), program.arguments(), environmentOfNewImage);
            throw new IOException("execve returned");
        } catch (IOException | RuntimeException e) {
            int failedRestores = dev.baton.internal.os.Exec.makeInheritable(madeCloseOnExec);
            carried.forEach(Descriptors::closeQuietly);
            PendingStop stop;
            boolean restarting;
            lock.lock();
            try {
                execCommitted = false;
                stop = pendingStop;
                pendingStop = null;
                restarting = serving == null;
                if (state == State.UPGRADING) {
                    state = restarting ? State.RESTARTING : State.SERVING;
                    if (restarting) {
                        scheduleRestart();
                    }
                }
            } finally {
                lock.unlock();
            }
            reaper.resume();
            controlServer.resume();
            String message = "the supervisor could not re-execute itself: " + e.getMessage() + "; nothing changed: pid "
                    + pid + " goes on " + (restarting ? "restarting its worker" : "serving") + " with the same "
                    + "listeners and " + workerCount() + " workers"
                    + (failedRestores == 0 ? "" : " (" + failedRestores + " descriptors were closed meanwhile)");
            LOG.log(Level.WARNING, logPrefix + message);
            if (stop != null) {
                stop(stop.now(), stop.trigger());
            }
            return new Message.UpgradeSupervisorResult(false, pid, workerCount(),
                    Duration.ofNanos(System.nanoTime() - began).toMillis(), message);
        }
    }

    /** Waits until at most {@code own} control requests are being served (the upgrade's own). */
    private void awaitQuietControl(int own) throws IOException {
        long deadline = System.nanoTime() + UPGRADE_QUIET_WAIT.toNanos();
        try {
            Thread.sleep(20); // a connection accepted just before the pause reaches its handler
            while (activeRequests.get() > own) {
                if (System.nanoTime() > deadline) {
                    throw new IOException((activeRequests.get() - own) + " other control requests are still being "
                            + "served after " + UPGRADE_QUIET_WAIT.toSeconds() + "s");
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for control requests to finish", e);
        }
    }

    /**
     * What the new program image gets, with duplicates of every descriptor it needs (added to
     * {@code carried} as they are made, so a failure closes them).
     */
    private SupervisorState snapshot(String trigger, long beganEpochMillis, ControlChannel channel,
            List<Integer> carried) throws IOException {
        int control = carry(controlServer.descriptor(), carried);
        if (Sockets.type(control) != Sockets.SOCK_SEQPACKET || !Sockets.isListening(control)) {
            throw new IOException("the control socket no longer listens");
        }
        int reply = channel == null ? -1 : carry(channel.descriptor(), carried);
        List<SupervisorState.Listener> carriedListeners = new ArrayList<>();
        for (SupervisedListeners.Bound listener : listeners.all()) {
            carriedListeners.add(new SupervisorState.Listener(listener.name(), listener.address(),
                    carry(listener.fd(), carried), listener.unixPath() == null ? null : listener.unixPath().toString(),
                    listener.activated()));
        }
        List<SupervisorState.CarriedWorker> carriedWorkers = new ArrayList<>();
        lock.lock();
        try {
            for (Worker worker : workers) {
                SupervisorState.CarriedWorker w = worker.carry();
                for (int fd : new int[] {w.stdoutFd(), w.stderrFd(), w.notifyFd()}) {
                    if (fd >= 0) {
                        carried.add(fd);
                    }
                }
                carriedWorkers.add(w);
            }
            return new SupervisorState(pid, beganEpochMillis, trigger, nextGeneration, backoff.toMillis(), lastReload,
                    control, reply, carriedListeners, carriedWorkers);
        } finally {
            lock.unlock();
        }
    }

    private static int carry(int fd, List<Integer> carried) throws IOException {
        int copy = Descriptors.duplicate(fd, 3);
        carried.add(copy);
        return copy;
    }

    private int workerCount() {
        lock.lock();
        try {
            return workers.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The new program image of a supervisor that re-executed itself: takes over what the old one
     * carried, re-attaches its workers, answers the request that asked for the upgrade.
     *
     * @throws IOException if the state is invalid (it is untrusted input) or what it names cannot be
     *     taken over; the workers then keep serving on their own, and the message says so
     */
    private static Supervisor takeOver(SupervisorOptions options, Map<String, String> environment, String value,
            PrintStream out, PrintStream err) throws IOException {
        long ownPid = ProcessHandle.current().pid();
        SupervisorState carried;
        try {
            carried = SupervisorState.parse(value, ownPid);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + "; refusing to start (a supervisor starts afresh only when "
                    + SupervisorState.VARIABLE + " is absent)", e);
        }
        Supervisor supervisor;
        try {
            supervisor = new Supervisor(options, environment, out, err, carried);
        } catch (IOException | RuntimeException e) {
            String message = "the supervisor's new program image (pid " + ownPid + ") cannot take over what the old "
                    + "one carried: " + e.getMessage() + "; its workers " + carried.workers().stream()
                    .map(SupervisorState.CarriedWorker::pid).toList() + " go on serving on their own: stop them and "
                    + "start the supervisor again";
            replyQuietly(carried.replyFd(), new Message.UpgradeSupervisorResult(false, ownPid, 0,
                    System.currentTimeMillis() - carried.upgradeStartedEpochMillis(), message));
            throw new IOException(message, e);
        }
        supervisor.takeOverWorkers(carried);
        return supervisor;
    }

    private static int adoptControlSocket(int fd, Path controlPath) throws IOException {
        if (Sockets.family(fd) != Sockets.AF_UNIX || Sockets.type(fd) != Sockets.SOCK_SEQPACKET
                || !Sockets.isListening(fd) || !Sockets.unixPath(fd).equals(controlPath.toString())) {
            throw new IOException("carried fd " + fd + " is not the control socket listening at " + controlPath);
        }
        Descriptors.setCloseOnExec(fd, true);
        Descriptors.setNonBlocking(fd);
        return fd;
    }

    private void takeOverWorkers(SupervisorState carried) {
        LOG.log(Level.INFO, logPrefix + "new program image of pid " + pid + " (upgrade requested by "
                + carried.trigger() + "): took over the listeners " + listeners.all().stream()
                .map(l -> l.name() + "=" + l.address() + " (fd " + l.fd() + ")").toList() + " and the control socket "
                + controlPath + " (fd " + controlServer.descriptor() + ")");
        int reply = carried.replyFd();
        if (reply >= 0) {
            try {
                Descriptors.setCloseOnExec(reply, true);
                if (Sockets.type(reply) != Sockets.SOCK_SEQPACKET || Sockets.isListening(reply)) {
                    LOG.log(Level.WARNING, logPrefix + "carried fd " + reply + " is not a control connection; "
                            + "not answering on it");
                    reply = -1;
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, logPrefix + "carried connection fd " + reply + ": " + e.getMessage());
                reply = -1;
            }
        }
        List<String> kept = new ArrayList<>();
        for (SupervisorState.CarriedWorker c : carried.workers()) {
            Worker worker;
            try {
                worker = Worker.adopt(c, out, err, logPrefix);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, logPrefix + "cannot re-attach worker " + c.generation() + " (pid " + c.pid()
                        + "): " + e.getMessage() + "; left alone");
                for (int fd : new int[] {c.stdoutFd(), c.stderrFd(), c.notifyFd()}) {
                    if (fd >= 0) {
                        Descriptors.closeQuietly(fd);
                    }
                }
                continue;
            }
            lock.lock();
            try {
                workers.add(worker);
                if (worker.state() == Worker.State.SERVING) {
                    serving = worker;
                }
            } finally {
                lock.unlock();
            }
            worker.exit.whenComplete((status, failure) -> exited(worker, status));
            reaper.watch(worker);
            kept.add(worker.describe() + " " + c.state());
            LOG.log(Level.INFO, logPrefix + "re-attached " + worker.describe() + ", " + c.state()
                    + ", output from fds " + c.stdoutFd() + "/" + c.stderrFd()
                    + (c.notifyFd() < 0 ? "" : ", notify socket fd " + c.notifyFd()));
            if (c.state().equals("draining") || c.state().equals("stopping")) {
                long deadline = c.drainDeadlineEpochMillis() > 0 ? c.drainDeadlineEpochMillis()
                        : System.currentTimeMillis() + STOP_GRACE.toMillis();
                timer.schedule(() -> {
                    if (!worker.exit.isDone()) {
                        LOG.log(Level.WARNING, logPrefix + worker.describe() + " still drains after the drain "
                                + "timeout: SIGKILL");
                        worker.kill();
                    }
                }, Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            }
        }
        boolean restarting;
        lock.lock();
        try {
            nextGeneration = carried.nextGeneration();
            backoff = Duration.ofMillis(Math.max(FIRST_BACKOFF.toMillis(), carried.backoffMillis()));
            lastReload = carried.lastReload();
            adoptedWorkers = true;
            restarting = serving == null;
            state = restarting ? State.RESTARTING : State.SERVING;
            if (restarting) {
                scheduleRestart();
            }
        } finally {
            lock.unlock();
        }
        long elapsed = Math.max(0, System.currentTimeMillis() - carried.upgradeStartedEpochMillis());
        String message = "supervisor pid " + pid + " upgraded in place in " + elapsed + " ms; " + kept.size()
                + " workers kept " + kept + (restarting ? "; none serves: restarting one" : "");
        LOG.log(Level.INFO, logPrefix + message);
        systemd.send("READY=1\nMAINPID=" + pid + "\nSTATUS=serving (supervisor upgraded in place)");
        if (reply >= 0) {
            replyQuietly(reply, new Message.UpgradeSupervisorResult(true, pid, kept.size(), elapsed, message));
            LOG.log(Level.INFO, logPrefix + "answered " + carried.trigger() + " on the carried connection (fd "
                    + reply + ")");
        }
        adopted.countDown();
    }

    /** Sends {@code message} on a carried control connection and closes it; a failure is only logged. */
    private static void replyQuietly(int fd, Message message) {
        if (fd < 0) {
            return;
        }
        try {
            Sockets.setTimeouts(fd, Duration.ofSeconds(5));
            dev.baton.internal.os.DescriptorPassing.send(fd, dev.baton.internal.protocol.MessageCodec.encode(message),
                    new int[0]);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot answer on the carried control connection (fd " + fd + "): "
                    + e.getMessage());
        } finally {
            Descriptors.closeQuietly(fd);
        }
    }

    // ---- control -----------------------------------------------------------------------------------

    private void handleControl(ControlChannel channel, PeerCredentials peer, Message request) throws IOException {
        activeRequests.incrementAndGet();
        try {
            if (!adopted.await(CONTROL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                channel.send(new Message.Refused("the supervisor is still taking over after upgrading itself"));
                return;
            }
            serveControl(channel, peer, request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            activeRequests.decrementAndGet();
        }
    }

    private void serveControl(ControlChannel channel, PeerCredentials peer, Message request) throws IOException {
        switch (request) {
            case Message.ReloadRequest _ -> {
                UpgradeResult result = reload("baton reload (pid " + peer.pid() + ")");
                channel.send(ReloadResults.toMessage(result));
            }
            case Message.StatusRequest _ -> channel.send(status());
            case Message.StopRequest stop -> {
                channel.send(new Message.StopAck(pid));
                stop(stop.now(), "baton stop" + (stop.now() ? " --now" : "") + " (pid " + peer.pid() + ")");
            }
            case Message.UpgradeSupervisorRequest _ ->
                    channel.send(upgradeSelf("baton upgrade-supervisor (pid " + peer.pid() + ")", channel));
            case Message.HandoverRequest _ -> channel.send(new Message.Refused("this is a Baton supervisor: it "
                    + "hands its listeners to the workers it starts, not over the control socket"));
            default -> channel.send(new Message.Refused("unexpected " + request.getClass().getSimpleName()
                    + " request"));
        }
    }

    /** The supervisor's state for {@code baton status}: mode "supervised", every live worker. */
    Message.StatusReply status() {
        lock.lock();
        try {
            List<ProcessInfo> processes = new ArrayList<>();
            for (Worker worker : workers) {
                processes.add(worker.info());
            }
            return new Message.StatusReply(pid, options.name(), "supervised", state.name().toLowerCase(Locale.ROOT),
                    listeners.specs(), processes, lastReload);
        } finally {
            lock.unlock();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** Stops a worker that never served: SIGTERM, SIGKILL after {@code grace}; waits until it is reaped. */
    private void stopWorker(Worker worker, Duration grace) {
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

    private void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot remove " + path + ": " + e.getMessage());
        }
    }
}
