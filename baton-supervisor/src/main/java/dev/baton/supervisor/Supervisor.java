package dev.baton.supervisor;

import dev.baton.UpgradeResult;
import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.ControlServer;
import dev.baton.internal.control.ControlSocket;
import dev.baton.internal.os.ChildProcesses.ExitStatus;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.Message.ProcessInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
    enum State { STARTING, SERVING, RELOADING, RESTARTING, STOPPING, STOPPED }

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration HEALTHY_AFTER = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration OUTPUT_WAIT = Duration.ofSeconds(2);
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> NOT_INHERITED = List.of("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
            "NOTIFY_SOCKET", "BATON_SUPERVISOR_PID", "BATON_GENERATION", "BATON_UPGRADE_SOCKET", "BATON_UPGRADE_PID");

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
    private final String systemdNotifySocket;
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
    private Duration backoff = FIRST_BACKOFF;
    private String lastReload = "none";

    private Supervisor(SupervisorOptions options, Map<String, String> environment, PrintStream out, PrintStream err)
            throws IOException {
        this.options = options;
        this.pid = ProcessHandle.current().pid();
        this.logPrefix = "[supervisor " + options.name() + " pid " + pid + "] ";
        this.out = out;
        this.err = err;
        this.controlDirectory = options.controlDirectory() != null ? options.controlDirectory()
                : ControlSocket.directory(environment);
        ControlSocket.checkName(options.name());
        ControlSocket.prepareDirectory(controlDirectory);
        this.controlPath = ControlSocket.path(controlDirectory, options.name());
        if (options.pidFile() != null) {
            checkPidFile(options.pidFile());
        }
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
        Map<String, String> env = new HashMap<>(environment);
        NOT_INHERITED.forEach(env::remove);
        env.put("BATON_SUPERVISOR_PID", Long.toString(pid));
        this.workerEnvironment = Map.copyOf(env);
        String notify = environment.get("NOTIFY_SOCKET");
        this.systemdNotifySocket = notify == null || notify.isBlank() ? null : notify;
        if (options.pidFile() != null) {
            writePidFile(options.pidFile(), pid);
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
        Supervisor supervisor = new Supervisor(options, System.getenv(), out, err);
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
            notifySystemd("READY=1\nMAINPID=" + pid + "\nSTATUS=serving with worker " + generation);
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
        for (int i = 0; i < draining.size() - options.maxDraining(); i++) {
            Worker oldest = draining.get(i);
            LOG.log(Level.WARNING, logPrefix + draining.size() + " old workers drain, more than the cap of "
                    + options.maxDraining() + ": SIGKILL to the oldest, " + oldest.describe());
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
            state = State.STOPPING;
            running = List.copyOf(workers);
        } finally {
            lock.unlock();
        }
        stopRequested.complete(trigger);
        LOG.log(Level.INFO, logPrefix + "stopping (" + trigger + "): " + (now ? "SIGKILL to" : "SIGTERM to")
                + " " + running.size() + " workers" + (now ? "" : ", drain timeout "
                + options.drainTimeout().toSeconds() + "s"));
        notifySystemd("STOPPING=1\nSTATUS=stopping");
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
        if (options.pidFile() != null) {
            deleteQuietly(options.pidFile());
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

    /** SIGUSR1: re-executing the supervisor in place is not implemented yet; logged and refused. */
    void upgradeSelfInBackground(String trigger) {
        LOG.log(Level.WARNING, logPrefix + trigger + ": upgrading the supervisor in place is not supported by this "
                + "version; restart it instead (its listeners are then bound anew)");
    }

    // ---- control -----------------------------------------------------------------------------------

    private void handleControl(ControlChannel channel, PeerCredentials peer, Message request) throws IOException {
        switch (request) {
            case Message.ReloadRequest _ -> {
                UpgradeResult result = reload("baton reload (pid " + peer.pid() + ")");
                channel.send(new Message.ReloadResult(result.succeeded(), result.servingPid(), result.successorPid(),
                        result.successorGeneration(), result.elapsed().toMillis(), result.message(),
                        result.lastOutput()));
            }
            case Message.StatusRequest _ -> channel.send(status());
            case Message.StopRequest stop -> {
                channel.send(new Message.StopAck(pid));
                stop(stop.now(), "baton stop" + (stop.now() ? " --now" : "") + " (pid " + peer.pid() + ")");
            }
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

    private void notifySystemd(String message) {
        if (systemdNotifySocket == null) {
            return;
        }
        try {
            int fd = Sockets.newUnixSocket(Sockets.SOCK_DGRAM);
            try {
                Sockets.sendDatagram(fd, systemdNotifySocket, message.getBytes(StandardCharsets.UTF_8));
            } finally {
                Descriptors.closeQuietly(fd);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot notify systemd at " + systemdNotifySocket + ": "
                    + e.getMessage());
        }
    }

    private static void checkPidFile(Path path) throws IOException {
        Path directory = path.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IOException("cannot write the pidfile " + path + ": the directory " + directory
                    + " does not exist; create it or choose another pidfile");
        }
        if (!Files.isWritable(directory)) {
            throw new IOException("cannot write the pidfile " + path + ": the directory " + directory
                    + " is not writable by this user");
        }
    }

    private static void writePidFile(Path path, long pid) throws IOException {
        Path temporary = path.toAbsolutePath().resolveSibling("." + path.getFileName() + "." + pid + ".tmp");
        Files.writeString(temporary, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot remove " + path + ": " + e.getMessage());
        }
    }
}
