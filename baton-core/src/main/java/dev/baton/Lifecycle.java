package dev.baton;

import dev.baton.internal.control.ControlDispatcher;
import dev.baton.internal.control.ControlServer;
import dev.baton.internal.control.ControlledService;
import dev.baton.internal.control.HandoverHandler;
import dev.baton.internal.events.BatonEvents;
import dev.baton.internal.os.Descriptor;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Signals;
import dev.baton.internal.protocol.Message.ProcessInfo;
import dev.baton.internal.service.AotCache;
import dev.baton.internal.service.DescriptorStore;
import dev.baton.internal.service.PidFile;
import dev.baton.internal.service.ServiceSignals;
import dev.baton.internal.service.SupervisorWatch;
import dev.baton.internal.service.SystemdNotifier;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The life of one generation, put together: ready, upgrade, stop; the in-process mode's
 * {@link ControlledService}. Each concern is a class of its own: how it started ({@link StartMode}), its
 * state ({@link GenerationStates}), the successor's side of the handover ({@link PredecessorLink}), the
 * predecessor's ({@link UpgradeRun}, {@link HandoverToSuccessor}), the drain ({@link Drain}) and the
 * older generations ({@link OldGenerations}).
 *
 * <p>Concurrency: every state change goes through {@link GenerationStates}, the one owner of the state;
 * this class keeps only what is set once ({@code controlServer}, written by the one thread that claimed
 * the ready step, before SERVING is published). Work that blocks runs on the caller's thread (an API call),
 * a control connection's thread, or the {@code baton-reload} and {@code baton-drain} threads.
 */
final class Lifecycle implements ControlledService {

    /** What a generation takes from the process and machine it runs on; the state-machine tests pass fakes. */
    record Host(ProcessEnvironment environment, SuccessorLauncher launcher, GenerationClock clock,
            OldGenerations.Liveness liveness) {}

    private static final Logger LOG = System.getLogger("dev.baton");

    /**
     * The signal by which a supervisor tells a Baton worker that a final stop began (its SIGTERM follows after
     * the shutdown delay; a SIGTERM without it retires the worker after a reload). SIGWINCH, because its
     * default action is to ignore it. The worker asks for it on its notify socket with
     * {@value #STOP_NOTICE_REQUEST}.
     */
    static final String STOP_NOTICE_SIGNAL = "WINCH";

    /** The notify line by which a supervised Baton worker asks for the final stop notice. */
    static final String STOP_NOTICE_REQUEST = "X_BATON_STOP_NOTICE=SIGWINCH";

    private final BatonOptions options;
    private final Host host;
    private final long pid;
    private final StartMode start;
    private final int generation;
    private final String name;
    private final String logPrefix;
    private final ListenerSet listeners;
    private final SystemdNotifier notifier;
    private final PidFile pidFile;
    private final OldGenerations oldGenerations;
    private final GenerationStates states;
    private final LifecycleEvents events;
    private final ServiceTally tally = new ServiceTally();
    private final Drain drain;
    private final UpgradeRun upgradeRun;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long openedNanos;
    private Descriptor control; // the control socket, until ready() hands it to the control server
    private volatile ControlServer controlServer;
    /** A supervised worker's watch on its supervisor, or null. */
    private volatile SupervisorWatch supervisorWatch;

    private Lifecycle(BatonOptions options, Host host, PidFile pidFile, StartMode start) {
        this.options = options;
        this.host = host;
        this.pid = host.environment().pid();
        this.openedNanos = host.clock().nanoTime();
        this.pidFile = pidFile;
        this.start = start;
        this.generation = start.generation();
        this.name = start.name(options);
        this.logPrefix = "[gen " + generation + " pid " + pid + "] ";
        if (!name.equals(options.name())) {
            LOG.log(Level.WARNING, logPrefix + "this version names the service '" + options.name()
                    + "' but it took over '" + name + "'; the new name applies from the next cold start");
        }
        this.control = start.boundControl().orElse(null);
        this.listeners = new ListenerSet(start.inherited(), options.backlog(), generation, logPrefix);
        this.notifier = SystemdNotifier.fromEnvironment(host.environment().variables(), logPrefix);
        this.oldGenerations = new OldGenerations(host.liveness());
        this.states = new GenerationStates(generation, start.upgradeRefusal());
        this.events = new LifecycleEvents(logPrefix);
        events.add(tally);
        Optional<Path> controlPath = start.controlPath();
        this.drain = new Drain(options, host.clock(), listeners, notifier, pidFile, () -> controlServer, controlPath,
                events, generation, pid, logPrefix, start instanceof StartMode.SupervisedWorker, this::drained);
        this.upgradeRun = controlPath.map(path -> new UpgradeRun(host.launcher(), host.clock(),
                host.environment(), path, generation, options, listeners, logPrefix)).orElse(null);
    }

    /** Opens this process's generation: reads the process, decides how it started, installs the signals. */
    static Lifecycle open(BatonOptions options) throws IOException {
        Host host = new Host(ProcessEnvironment.current(), SuccessorLauncher.PROCESSES, GenerationClock.SYSTEM,
                OldGenerations.Liveness.PROCESSES);
        Lifecycle lifecycle = create(options, host);
        ServiceSignals.install(lifecycle);
        if (lifecycle.start instanceof StartMode.SupervisedWorker worker) {
            Signals.handle(STOP_NOTICE_SIGNAL, () -> lifecycle.finalStopNotice("SIG" + STOP_NOTICE_SIGNAL));
            lifecycle.supervisorWatch = SupervisorWatch.start(worker.supervisorPid(), lifecycle.logPrefix,
                    trigger -> lifecycle.stop(false, trigger));
        }
        return lifecycle;
    }

    /** Opens a generation on {@code host}, without signal handlers: the seam of the state-machine tests. */
    static Lifecycle create(BatonOptions options, Host host) throws IOException {
        PidFile pidFile = options.pidFile() == null ? null : PidFile.at(options.pidFile());
        Lifecycle lifecycle = new Lifecycle(options, host, pidFile, StartMode.decide(options, host.environment(), host.liveness()));
        LOG.log(Level.INFO, lifecycle.logPrefix + "starting" + lifecycle.start.describe());
        AotCache.removeIfRefused(host.environment().commandLine(), System.getProperty("java.vm.info"))
                .ifPresent(cache -> LOG.log(Level.INFO, lifecycle.logPrefix + "the JVM did not use the AOT cache "
                        + cache + " (another JDK or a damaged file); removed it: the next generation records anew"));
        options.warnings().forEach(warning -> LOG.log(Level.WARNING, lifecycle.logPrefix + warning));
        return lifecycle;
    }

    // ---- accessors -------------------------------------------------------------------------------

    int generation() {
        return generation;
    }

    @Override
    public long pid() {
        return pid;
    }

    GenerationState state() {
        return states.state();
    }

    Path controlPath() {
        return start.controlPath().orElse(null);
    }

    ListenerSet listeners() {
        return listeners;
    }

    void register(ManagedServer server) {
        drain.register(server);
    }

    void addLifecycleListener(LifecycleListener listener) {
        events.add(listener);
    }

    // ---- ready -----------------------------------------------------------------------------------

    void ready() throws IOException {
        states.claimReady(); // exactly one caller gets past this
        String reload = null;
        if (start instanceof StartMode.SuccessorOf successor) {
            PredecessorLink.TakenOver taken;
            try {
                taken = successor.link().takeOver(listeners.activeNames(), options.controlTimeout(), logPrefix);
            } catch (IOException e) {
                states.readyFailed();
                stopped.countDown();
                throw e;
            }
            oldGenerations.addAll(taken.draining());
            tally.takeOver(taken.figures());
            control = taken.control();
            reload = "generation " + generation + " (pid " + pid + ") took over from pid " + taken.predecessorPid()
                    + taken.predecessorDied().map(why -> ", which " + why).orElse("") + " at " + host.clock().now();
        } else if (start instanceof StartMode.OrphanedSuccessor orphan) {
            reload = "generation " + generation + " (pid " + pid + ") started on its own: " + orphan.gone().getMessage()
                    + " at " + host.clock().now();
        }
        if (start instanceof StartMode.SuccessorOf || start instanceof StartMode.OrphanedSuccessor) {
            // not a cold start that inherited the variable from a process a successor started
            StartPriority.restore(host.environment().variables(), pid, logPrefix);
        }
        listeners.closeUnclaimed();
        Optional<String> stopMeanwhile = states.served(reload);
        if (control != null) {
            controlServer = ControlServer.start(control.release(), new ControlDispatcher(this, handover()),
                    options.controlTimeout(), logPrefix);
        }
        if (pidFile != null) {
            pidFile.write(pid);
        }
        for (ManagedServer server : drain.servers()) {
            server.startAccepting();
        }
        if (start instanceof StartMode.SupervisedWorker) {
            notifier.send(STOP_NOTICE_REQUEST); // before READY=1: the supervisor knows it before it serves
        } else { // what this generation bound (inherited listeners were stored by whoever bound them)
            DescriptorStore.keep(listeners.active().stream().filter(listener -> !listener.inherited())
                    .map(listener -> new DescriptorStore.Bound(listener.name(), listener.descriptor())).toList(),
                    notifier, host.environment().variables(), logPrefix);
        }
        notifier.ready(pid, "serving generation " + generation);
        oldGenerations.enforce(options.maxDrainingGenerations(), logPrefix);
        LOG.log(Level.INFO, logPrefix + "serving on " + listeners.active() + "; ready "
                + host.clock().since(openedNanos).toMillis() + " ms after start");
        events.fire(listener -> listener.serving(generation));
        if (upgradeRun != null) {
            try {
                Thread.ofPlatform().daemon().name("baton-prepare-upgrade").start(this::prepareUpgrade);
            } catch (OutOfMemoryError | RuntimeException e) { // no thread left: the upgrade does it cold
                LOG.log(Level.DEBUG, () -> logPrefix + "cannot prepare the next upgrade ahead: " + e);
            }
        }
        stopMeanwhile.ifPresent(trigger -> stop(false, trigger + ", which came during ready()"));
    }

    /** The next reload waits less: what it would run cold runs now, while this generation serves. */
    private void prepareUpgrade() {
        try {
            upgradeRun.prepare();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.DEBUG, () -> logPrefix + "preparing the next upgrade failed (the upgrade will do it): " + e);
        }
    }

    private HandoverHandler handover() {
        ProcessInfo self = new ProcessInfo(pid, generation, ServiceStatus.State.DRAINING.toString(),
                host.environment().startedEpochMillis());
        return new HandoverToSuccessor(states, oldGenerations, listeners, () -> controlServer,
                why -> drain.start(false, why), new Probation(options.probation(), host.clock(), drain::servers,
                logPrefix), this::servingAgain, self, tally, name, options.readyTimeout(), logPrefix);
    }

    /** Its successor died on probation: this generation is the serving one again, for the pidfile and systemd. */
    private void servingAgain() {
        try {
            if (pidFile != null) {
                pidFile.write(pid);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot rewrite the pidfile after the successor died: " + e.getMessage());
        }
        notifier.ready(pid, "serving generation " + generation + " again: its successor died on probation");
    }

    // ---- upgrade (the predecessor's side) ----------------------------------------------------------

    /** Upgrades and waits for the outcome: the {@link ControlledService} view of {@link #upgrade}. */
    @Override
    public UpgradeResult reload(String trigger) {
        return upgrade(trigger);
    }

    UpgradeResult upgrade(String trigger) {
        GenerationStates.Claim claim = states.beginUpgrade(host.clock());
        if (claim.upgrade() == null) {
            LOG.log(Level.WARNING, logPrefix + "upgrade requested by " + trigger + " refused: " + claim.refusal());
            BatonEvents.upgradeRequested(generation, pid, trigger, 0, claim.refusal());
            UpgradeResult refused = UpgradeResult.refused(pid, claim.refusal());
            events.fire(listener -> listener.upgradeRefused(refused));
            return refused;
        }
        PendingUpgrade upgrade = claim.upgrade();
        BatonEvents.upgradeRequested(generation, pid, trigger, upgrade.generation, "");
        LOG.log(Level.INFO, logPrefix + "upgrade requested by " + trigger + ": starting generation "
                + upgrade.generation);
        notifier.reloading("starting generation " + upgrade.generation);
        UpgradeResult result = run(upgrade);
        Optional<String> stopMeanwhile = states.upgradeEnded(result);
        if (result.succeeded()) {
            LOG.log(Level.INFO, logPrefix + result.message());
        } else {
            LOG.log(Level.WARNING, logPrefix + "upgrade failed: " + result.message()
                    + (result.lastOutput().isEmpty() ? "" : "; its last lines:\n  " + String.join("\n  ",
                    result.lastOutput())));
            notifier.reloadFailed("upgrade failed; serving generation " + generation);
        }
        events.fire(listener -> listener.upgradeEnded(result));
        stopMeanwhile.ifPresent(stopTrigger -> stop(false, "the stop requested during the upgrade"));
        return result;
    }

    /** Runs {@code upgrade} to its end, whatever it throws: an upgrade left open would refuse every later one. */
    private UpgradeResult run(PendingUpgrade upgrade) {
        try {
            return upgradeRun.run(upgrade);
        } catch (RuntimeException | OutOfMemoryError e) { // a bug, or no thread left
            boolean failedHere = upgrade.settleFailed("failed: " + e);
            Successor successor = upgrade.successor();
            String stopped = "";
            if (failedHere && successor != null && successor.isAlive()) { // not ready: it must not live on unwatched
                stopped = stopAfterAFailure(successor);
            }
            return new UpgradeResult(UpgradeResult.Outcome.FAILED, pid, upgrade.successorPid(), upgrade.generation,
                    upgrade.elapsed(), "the upgrade failed (" + e + ")" + stopped + "; still serving as pid " + pid
                    + " (generation " + generation + ")", List.of());
        }
    }

    // ---- status ------------------------------------------------------------------------------------

    @Override
    public ServiceStatus status() {
        ServiceStatus.State current = ServiceStatus.State.of(states.state());
        String reload = states.lastReload();
        List<ServiceStatus.ProcessStatus> processes = new ArrayList<>();
        processes.add(new ServiceStatus.ProcessStatus(pid, generation, current,
                Instant.ofEpochMilli(host.environment().startedEpochMillis())));
        List<ProcessInfo> draining = oldGenerations.stillDraining();
        draining.forEach(old -> processes.add(old.status()));
        return new ServiceStatus(pid, name, ServiceStatus.Mode.IN_PROCESS, current,
                listeners.boundSpecs().stream().map(spec -> spec.text()).toList(), processes, reload,
                tally.figures(draining.size()));
    }

    /** An older generation drained: its figures count, and the listeners hear of it. */
    @Override
    public void drainReported(int olderGeneration, Duration took, int hammered) {
        events.fire(listener -> listener.drained(olderGeneration, took, hammered));
    }

    // ---- stop --------------------------------------------------------------------------------------

    /**
     * Stops this generation: drains it if it serves; hammers it if it already drains (a second stop, or a
     * serving generation that found too many draining); if it is not ready yet, stops it and releases
     * {@link #awaitStopped()}, leaving the exit to the application. A stop during ready() or an upgrade
     * follows once that has ended (an upgrade ends at once: its successor is stopped).
     */
    @Override
    public void stop(boolean now, String trigger) {
        SupervisorWatch watch = supervisorWatch;
        if (!now && watch != null && !watch.admitsStop(trigger)) {
            LOG.log(Level.INFO, logPrefix + trigger + " after the supervisor's death: the stop that began goes on");
            return;
        }
        switch (states.requestStop(trigger)) {
            case RELEASE -> {
                LOG.log(Level.INFO, logPrefix + trigger + " before ready: stopped without serving; awaitStopped() "
                        + "returns, and the application exits");
                abandon();
                stopped.countDown();
            }
            case DRAIN -> drain.start(true, trigger);
            case DEFERRED -> states.pendingUpgrade().ifPresent(upgrade -> {
                if (!upgrade.settleFailed(UpgradeRun.STOPPED + trigger + " arrived during the upgrade")) {
                    LOG.log(Level.INFO, logPrefix + trigger + whyItWaits(upgrade));
                }
            });
            case HAMMER -> drain.hammer(trigger);
            case NONE -> { }
        }
        if (now) {
            drain.hammerWhenDraining(trigger);
        }
    }

    /** Stops {@code successor} after its upgrade failed on an error; words it, whatever the stop throws. */
    private String stopAfterAFailure(Successor successor) {
        try {
            successor.stop(options.stopTimeout(), logPrefix);
            return "; stopped successor pid " + successor.pid() + " (" + successor.exitDescription() + ")";
        } catch (RuntimeException | OutOfMemoryError e) {
            return "; could not stop successor pid " + successor.pid() + " (" + e + "): stop it by hand";
        }
    }

    /** Why a stop that came during {@code upgrade}, too late to fail it, waits for its end. */
    private static String whyItWaits(PendingUpgrade upgrade) {
        PendingUpgrade.Settlement settled = upgrade.settlement().getNow(null);
        if (settled == null) { // acknowledged: on probation
            return " during the successor's probation: the successor serves; this generation drains when the "
                    + "probation ends, and stops if the successor dies before then";
        }
        return settled.ready()
                ? " as the successor's probation ended: the successor serves, and this generation drains"
                : " as the upgrade failed (" + settled.reason() + "): this generation stops once that has ended";
    }

    /** The supervisor says a final stop began: readiness turns "not ready"; its SIGTERM follows after the delay. */
    void finalStopNotice(String trigger) {
        LOG.log(Level.INFO, logPrefix + trigger + ": the supervisor stops the service; not ready any more, "
                + "still serving until its SIGTERM");
        drain.announceStopping();
    }

    private void drained() {
        states.drained();
        events.fire(listener -> listener.stopped(generation, drain.hammered()));
        stopped.countDown();
    }

    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    int hammered() {
        return drain.hammered();
    }

    /**
     * Lets go of everything at once, without any of a stop's cleanup (the control socket's file and the
     * pidfile stay): what a SIGKILLed process leaves behind, for the state-machine tests.
     */
    void halt() {
        ControlServer server = controlServer;
        if (server != null) {
            server.close();
        }
        abandon();
    }

    /** Releases what a generation that never became ready holds; idempotent. */
    void abandon() {
        if (start instanceof StartMode.SuccessorOf successor) {
            successor.link().close();
        }
        if (control != null && control.isOpen()) {
            control.close();
            start.controlPath().ifPresent(drain::deleteQuietly);
        }
        listeners.closeAll();
    }
}
