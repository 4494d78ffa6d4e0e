package dev.baton.supervisor;

import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.ControlServer;
import dev.baton.internal.control.ControlSocket;
import dev.baton.internal.os.Availability;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.HeldSignals;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.service.DescriptorStore;
import dev.baton.internal.service.PidFile;
import dev.baton.internal.service.ServiceSignals;
import dev.baton.internal.service.SystemdNotifier;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A supervisor: a process with a stable pid that owns the listening sockets and runs workers of any
 * language on them, replacing a worker on reload only once its successor is ready, and restarting a
 * worker that crashed while the sockets keep queueing connections.
 *
 * <p>Use: {@link #open} (binds the listeners and the control socket; fails on bad input), then
 * {@link #start} (the first worker, until it is ready), then {@link #awaitStopped}. Triggers:
 * {@link #reload}, {@link #stop}, the control socket ({@code baton reload | status | stop}) and, after
 * {@link #handleSignals}, SIGHUP/SIGUSR2 (reload), SIGTERM/SIGINT (stop) and SIGUSR1 (upgrade in place).
 *
 * <p>This class wires the parts and runs the start, reload and stop sequences; each part has one
 * concern: {@link SupervisorMachine} owns every piece of changing state (one monitor, its rules written
 * there), {@link WorkerLauncher} starts a worker and waits for its readiness, {@link CrashRestarts}
 * restarts after a crash, {@link Retirement} ends old workers, {@link SelfUpgrade} and {@link TakeOver}
 * are the two sides of the supervisor's upgrade in place, {@link SupervisorControl} is what the control
 * socket and the signals call (through the dispatcher and the signal wiring both modes share), and
 * {@link SupervisorThreads} runs every timer and the supervisor's own background threads. Blocking work
 * runs on the caller's thread (a control connection's, a signal's) or on a platform thread of its own
 * (restarts, stops, an upgrade in place); one reload, restart or upgrade at a time, as the machine's
 * states decide.
 */
public final class Supervisor {

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");
    private static final Duration OUTPUT_WAIT = Duration.ofSeconds(2);

    private final SupervisorOptions options;
    private final long pid;
    private final String logPrefix;
    private final SupervisedListeners listeners;
    private final Path controlPath;
    private final ControlServer controlServer;
    private final Reaper reaper;
    private final SystemdNotifier systemd;
    private final PidFile pidFile;
    private final PrintStream out;
    private final PrintStream err;
    /** Whether this is the new program image of a supervisor that upgraded itself (its workers already serve). */
    private final boolean upgradedInPlace;
    private final SupervisorThreads threads = new SupervisorThreads();
    private final SupervisorMachine machine;
    private final SupervisorControl control;
    private final Retirement retirement;
    private final WorkerLauncher launcher;
    private final CrashRestarts restarts;
    private final SelfUpgrade selfUpgrade;
    private final CompletableFuture<String> stopRequested = new CompletableFuture<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ShutdownDelay shutdownDelay;

    private Supervisor(SupervisorOptions options, Map<String, String> environment, PrintStream out, PrintStream err,
            SupervisorState carried) throws IOException {
        this.options = options;
        this.pid = ProcessHandle.current().pid();
        this.logPrefix = "[supervisor " + options.name() + " pid " + pid + "] ";
        this.out = out;
        this.err = err;
        Path controlDirectory = options.controlDirectory() != null ? options.controlDirectory()
                : ControlSocket.directory(environment);
        ControlSocket.checkName(options.name());
        ControlSocket.prepareDirectory(controlDirectory);
        this.controlPath = ControlSocket.path(controlDirectory, options.name());
        this.pidFile = options.pidFile() == null ? null : PidFile.at(options.pidFile());
        this.upgradedInPlace = carried != null;
        this.shutdownDelay = new ShutdownDelay(options.shutdownDelay(), logPrefix);
        this.machine = new SupervisorMachine(logPrefix, upgradedInPlace, this::restartAfter);
        this.control = new SupervisorControl(this, upgradedInPlace);
        if (carried != null) {
            // A new program image of this process: nothing is bound, and on failure nothing is closed or
            // removed, since the workers go on serving on their copies of the listeners.
            this.listeners = SupervisedListeners.adopt(carried.listeners());
            int controlFd = TakeOver.adoptControlSocket(carried.controlFd(), controlPath);
            this.reaper = new Reaper();
            this.controlServer = ControlServer.start(controlFd, control.handler(), SupervisorControl.TIMEOUT, logPrefix);
        } else {
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
                this.controlServer = ControlServer.start(controlFd, control.handler(), SupervisorControl.TIMEOUT, logPrefix);
            } catch (IOException | RuntimeException e) {
                Descriptors.closeQuietly(controlFd);
                Files.deleteIfExists(controlPath);
                listeners.close();
                throw e;
            }
        }
        this.retirement = new Retirement(options.drainTimeout(), options.maxDrainingGenerations(), machine, threads, logPrefix,
                control::drained);
        this.launcher = new WorkerLauncher(options, controlDirectory, environment, pid, listeners, out, err, logPrefix,
                machine, reaper, retirement, new ReadinessWatch(options.readiness(), threads), stopRequested,
                startSentinel(pid, logPrefix));
        this.restarts = new CrashRestarts(machine, launcher, threads);
        this.selfUpgrade = new SelfUpgrade(this, machine, listeners, controlServer, control, reaper, threads,
                Map.copyOf(environment), out, err, logPrefix);
        this.systemd = SystemdNotifier.fromEnvironment(environment, logPrefix);
        if (!upgradedInPlace) {
            DescriptorStore.keep(listeners.all().stream().filter(listener -> !listener.activated())
                    .map(listener -> new DescriptorStore.Bound(listener.name(), listener.fd())).toList(),
                    systemd, environment, logPrefix);
        }
        if (pidFile != null) {
            pidFile.write(pid);
        }
    }

    private static OrphanSentinel startSentinel(long pid, String logPrefix) {
        try {
            return OrphanSentinel.start(pid, logPrefix);
        } catch (IOException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot start the orphan sentinel (" + e.getMessage() + "): if this "
                    + "supervisor dies, workers that do not watch it themselves serve on as orphans");
            return null;
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
        SelfCheck.answerIfAsked(environment); // a check before an upgrade in place: exits here
        String value = environment.get(SupervisorState.VARIABLE);
        if (value != null) {
            return takeOver(options, environment, value, out, err);
        }
        Supervisor supervisor = new Supervisor(options, environment, out, err, null);
        LOG.log(Level.INFO, supervisor.logPrefix + "listening on " + supervisor.listeners.specs().stream()
                .map(l -> l.name() + "=" + l.address()).toList() + "; control socket " + supervisor.controlPath
                + "; readiness " + options.readiness());
        options.warnings().forEach(warning -> LOG.log(Level.WARNING, supervisor.logPrefix + warning));
        return supervisor;
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
        SupervisorState carried = TakeOver.parse(value, ownPid);
        Supervisor supervisor;
        try {
            supervisor = new Supervisor(options, environment, out, err, carried);
        } catch (IOException | RuntimeException e) {
            throw TakeOver.failed(carried, ownPid, e);
        }
        new TakeOver(supervisor.pid, supervisor.logPrefix, supervisor.machine, supervisor.launcher,
                supervisor.retirement, supervisor.control, supervisor.systemd, out, err)
                .workers(carried, supervisor.listeners, supervisor.controlPath, supervisor.controlServer);
        return supervisor;
    }

    /** Answers SIGHUP and SIGUSR2 (reload), SIGTERM and SIGINT (stop), SIGUSR1 (upgrade in place), from now on. */
    public void handleSignals() {
        ServiceSignals.install(control);
        if (upgradedInPlace) {
            releaseHeldSignals();
        }
    }

    /** The new program image handles the signals now: those sent while it started arrive (see HeldSignals). */
    private void releaseHeldSignals() {
        long exec = HeldSignals.execEpochMillis();
        try {
            List<String> pending = HeldSignals.release();
            LOG.log(Level.INFO, logPrefix + "signals held across the re-execution released "
                    + (exec < 0 ? "" : (System.currentTimeMillis() - exec) + " ms after the execve")
                    + (pending.isEmpty() ? "; none was sent meanwhile" : "; sent meanwhile, handled now: "
                    + pending.stream().map(name -> "SIG" + name).toList()));
        } catch (IOException e) {
            LOG.log(Level.ERROR, logPrefix + "cannot unblock the signals held across the re-execution: "
                    + e.getMessage() + "; SIGHUP, SIGTERM and the others stay pending: use baton reload and baton stop");
        }
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
        if (upgradedInPlace) {
            return; // a new program image of an upgraded supervisor: its workers already serve
        }
        LaunchAttempt attempt = launcher.launch(machine.beginStart(), "start");
        if (attempt.failure == null && !machine.firstReady(attempt.worker)) {
            attempt.failure = "was started, but the supervisor is stopping";
        }
        if (attempt.failure == null) {
            LOG.log(Level.INFO, logPrefix + attempt.worker.describe() + " is ready after " + attempt.millis()
                    + " ms; serving");
            systemd.send("READY=1\nMAINPID=" + pid + "\nSTATUS=serving with worker " + attempt.generation);
            return;
        }
        if (stopRequested.isDone()) {
            return; // stopped while starting: awaitStopped() returns once the stop is done
        }
        List<String> lines = attempt.worker == null ? List.of() : attempt.worker.lastLines(OUTPUT_WAIT);
        stop(true, "the first worker failed");
        awaitStopped(Retirement.STOP_GRACE.plus(Retirement.STOP_GRACE));
        throw new IOException("the first worker " + (attempt.worker == null ? "" : "(pid " + attempt.worker.pid()
                + ") ") + attempt.failure + "; command: " + String.join(" ", options.command())
                + (lines.isEmpty() ? "" : "\nits last lines of output:\n  " + String.join("\n  ", lines)));
    }

    // ---- reload ------------------------------------------------------------------------------------

    /**
     * Replaces the serving worker: runs the command again with the same sockets; once the new worker
     * is ready, the old one gets SIGTERM (and SIGKILL after the drain timeout). A new worker that exits
     * or is not ready in time is stopped, and the old one keeps serving.
     */
    public UpgradeResult reload(String trigger) {
        SupervisorMachine.ReloadStart begun = machine.beginReload();
        if (begun.refusal() != null) {
            LOG.log(Level.WARNING, logPrefix + "reload requested by " + trigger + " refused: " + begun.refusal());
            return new UpgradeResult(UpgradeResult.Outcome.REFUSED, begun.servingPid(), 0, 0, Duration.ZERO,
                    begun.refusal(), List.of());
        }
        LOG.log(Level.INFO, logPrefix + "reload requested by " + trigger + ": starting worker " + begun.generation()
                + "; " + begun.old().describe() + " serves meanwhile");
        LaunchAttempt attempt = launcher.launch(begun.generation(), "reload by " + trigger);
        SupervisorMachine.ReloadEnd end = machine.endReload(attempt, begun.old());
        UpgradeResult result = end.result();
        if (result.succeeded()) {
            LOG.log(Level.INFO, logPrefix + "reloaded: " + result.message());
            if (end.retired() != null) {
                retirement.retire(end.retired(), "replaced by " + attempt.worker.describe());
            }
            return result;
        }
        List<String> lines = attempt.worker == null ? List.of() : attempt.worker.lastLines(OUTPUT_WAIT);
        LOG.log(Level.WARNING, logPrefix + "reload failed: " + result.message()
                + (lines.isEmpty() ? "" : "; its last lines:\n  " + String.join("\n  ", lines)));
        return new UpgradeResult(result.outcome(), result.servingPid(), result.successorPid(),
                result.successorGeneration(), result.elapsed(), result.message(), lines);
    }

    /** The machine's restart seam: a restart after {@code delay} (only queued). */
    private void restartAfter(Duration delay) {
        restarts.after(delay);
    }

    // ---- stop --------------------------------------------------------------------------------------

    /**
     * Stops every worker (SIGTERM, then SIGKILL after the drain timeout; SIGKILL at once if {@code now}),
     * then the supervisor: the control socket, notify sockets and pidfile are removed. Returns at once;
     * {@link #awaitStopped} waits for the end. A second stop while stopping kills at once.
     */
    public void stop(boolean now, String trigger) {
        SupervisorMachine.Stop stop = machine.beginStop(now, trigger);
        switch (stop.action()) {
            case NONE -> { }
            case KILL_ALL -> {
                shutdownDelay.cutShort(trigger);
                stop.workers().forEach(Worker::kill);
            }
            case STOP_ALL -> {
                stopRequested.complete(trigger);
                LOG.log(Level.INFO, logPrefix + "stopping (" + trigger + "): " + (now ? "SIGKILL to" : "SIGTERM to")
                        + " " + stop.workers().size() + " workers" + (now ? "" : ", drain timeout "
                        + options.drainTimeout().toSeconds() + "s"));
                systemd.send("STOPPING=1\nSTATUS=stopping");
                threads.start("baton-stop", () -> finishStop(now, stop.workers()));
            }
        }
    }

    private void finishStop(boolean now, List<Worker> workers) {
        if (!now) {
            shutdownDelay.await(workers);
        }
        retirement.stopAll(now);
        controlServer.close();
        deleteQuietly(controlPath);
        listeners.close();
        if (pidFile != null) {
            deleteQuietly(pidFile.path());
        }
        threads.shutdown();
        machine.stopped();
        LOG.log(Level.INFO, logPrefix + "stopped");
        stopped.countDown();
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

    // ---- upgrade of the supervisor itself, status --------------------------------------------------

    /**
     * Re-executes this supervisor's own command line in place ({@code execve}: same pid, the workers
     * stay its children), carrying the listeners, the control socket, every worker and the counters;
     * the new program image answers on {@code channel}'s connection (null for a signal: the outcome is
     * logged). Returns only if that could not be done: a refusal (only a serving supervisor upgrades,
     * one thing at a time) or a failure, after which everything is as it was and the supervisor goes on
     * serving.
     */
    Message upgradeSelf(String trigger, ControlChannel channel) {
        return selfUpgrade.forRequest(trigger, channel);
    }

    /** The supervisor's state for {@code baton status}: mode supervised, every live worker. */
    ServiceStatus status() {
        return machine.status(pid, options.name(), listeners.specs());
    }

    private void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot remove " + path + ": " + e.getMessage());
        }
    }
}
