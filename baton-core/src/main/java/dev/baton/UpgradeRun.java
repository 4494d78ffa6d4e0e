package dev.baton;

import dev.baton.internal.events.BatonEvents;
import dev.baton.internal.service.AotCache;
import dev.baton.internal.service.PredecessorOutput;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The predecessor's run of one upgrade: starts the successor, waits until it is ready or has failed
 * (exited, crashed, not ready within the ready timeout, stopped), stops a failed one, and words the
 * outcome. Holds no state of its own beyond its settings: the upgrade's is in {@link PendingUpgrade}.
 */
final class UpgradeRun {

    private static final Logger LOG = System.getLogger("dev.baton");
    /** What a successor must not inherit: systemd's passed listeners are this process's, not its. */
    private static final List<String> NOT_INHERITED = List.of("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
            StartPriority.VARIABLE);

    private final SuccessorLauncher launcher;
    private final GenerationClock clock;
    private final List<String> command;
    private final Path controlPath;
    private final long pid;
    private final long startedEpochMillis;
    private final int generation;
    private final Duration readyTimeout;
    private final Duration stopTimeout;
    private final String logPrefix;
    private final Optional<AotCache> aotCache;
    private final Map<String, String> environment;
    private final ListenerSet listeners;

    UpgradeRun(SuccessorLauncher launcher, GenerationClock clock, ProcessEnvironment self, Path controlPath,
            int generation, BatonOptions options, ListenerSet listeners, String logPrefix) {
        this.launcher = launcher;
        this.listeners = listeners;
        this.clock = clock;
        this.command = self.commandLine();
        this.controlPath = controlPath;
        this.pid = self.pid();
        this.startedEpochMillis = self.startedEpochMillis();
        this.generation = generation;
        this.readyTimeout = options.readyTimeout();
        this.stopTimeout = options.stopTimeout();
        this.logPrefix = logPrefix;
        this.environment = self.variables();
        this.aotCache = AotCache.of(options.aotCache(), environment);
    }

    /** Runs {@code upgrade} to its end; the handover, on a control connection, settles it as ready. */
    UpgradeResult run(PendingUpgrade upgrade) {
        BatonEvents.Upgrade events = BatonEvents.upgradeBegins(generation, pid, upgrade.generation);
        Successor successor;
        AotCache.Prepared prepared = AotCache.prepare(aotCache, command, logPrefix);
        Map<String, String> add = new HashMap<>(StartPriority.forSuccessor(environment, logPrefix));
        add.putAll(successorVariables());
        ListenerSet.Handed handed = listeners.toHand();
        add.put(HandedListeners.VARIABLE, HandedListeners.describe(handed.specs()));
        try {
            successor = launcher.launch(prepared.command(), add, NOT_INHERITED, handed.descriptors());
            prepared.started().accept(successor.pid());
        } catch (IOException | RuntimeException | OutOfMemoryError e) { // OOME: no thread for the spawn
            String reason = "cannot start the successor: " + e.getMessage();
            events.failed(reason);
            return new UpgradeResult(UpgradeResult.Outcome.FAILED, pid, 0, upgrade.generation, upgrade.elapsed(),
                    reason + "; " + stillServing(), List.of());
        }
        upgrade.started(successor);
        launcher.watchStart(successor, add, logPrefix);
        events.started(successor.pid());
        LOG.log(Level.INFO, logPrefix + "started successor pid " + successor.pid() + " (generation "
                + upgrade.generation + ")");
        successor.onExit().thenRun(() -> upgrade.settleFailed(successor.exitDescription() + " before it was ready"));
        clock.schedule(readyTimeout, () -> upgrade.settleFailed("was not ready within " + seconds(readyTimeout)));
        PendingUpgrade.Settlement settlement;
        try {
            settlement = upgrade.settlement().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            upgrade.settleFailed("the upgrade was interrupted");
            settlement = upgrade.settlement().join();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
        // Ready is when the successor said so, not when its probation ended.
        Duration elapsed = upgrade.untilReady();
        if (settlement.ready()) {
            events.ready();
            long probationMillis = upgrade.elapsed().minus(elapsed).toMillis();
            boolean stopped = successor.wasStopped();
            String probation = stopped ? " and was stopped during its probation (" + successor.exitDescription()
                    + "), so the service stops"
                    : probationMillis >= 1 ? " and lived through " + probationMillis + " ms of probation" : "";
            return new UpgradeResult(UpgradeResult.Outcome.SUCCEEDED, pid, successor.pid(), upgrade.generation, elapsed,
                    "generation " + upgrade.generation + " (pid " + successor.pid() + ") " + (stopped ? "was" : "is")
                    + " ready after " + elapsed.toMillis() + " ms" + probation + "; generation " + generation
                    + " (pid " + pid + ") drains" + (stopped ? " too" : ""), List.of());
        }
        events.failed(settlement.reason());
        List<String> jvmSaid = prepared.failedBeforeReady().apply(settlement.reason());
        boolean wasRunning = successor.isAlive();
        successor.stop(stopTimeout, logPrefix);
        String exit = wasRunning ? "; stopped it (" + successor.exitDescription() + ")" : "";
        List<String> lastOutput = new ArrayList<>(successor.lastLines());
        lastOutput.addAll(jvmSaid); // what a recording JVM printed on the tty it was told not to show
        return new UpgradeResult(UpgradeResult.Outcome.FAILED, pid, successor.pid(), upgrade.generation, elapsed,
                "successor pid " + successor.pid() + " (generation " + upgrade.generation + ") "
                + settlement.reason() + exit + "; " + (settlement.reason().startsWith(STOPPED)
                ? "generation " + generation + " (pid " + pid + ") stops as asked" : stillServing()), lastOutput);
    }

    /**
     * Runs now, off the serving path, what the first upgrade of this JVM would otherwise run cold while the
     * reload waits: the launcher's C functions, the successor's variables, the AOT cache's key. Changes nothing.
     */
    void prepare() {
        launcher.prepare();
        successorVariables();
        HandedListeners.describe(listeners.toHand().specs());
        aotCache.ifPresent(cache -> cache.prepareKey(command));
    }

    /** What tells the successor it is one, and names this generation, should it die before the handover. */
    private Map<String, String> successorVariables() {
        return Map.of(PredecessorLink.SOCKET_VARIABLE, controlPath.toString(),
                PredecessorLink.PID_VARIABLE, Long.toString(pid),
                PredecessorLink.GENERATION_VARIABLE, Integer.toString(generation),
                PredecessorLink.STARTED_VARIABLE, Long.toString(startedEpochMillis),
                PredecessorLink.LAUNCHED_VARIABLE, Long.toString(System.currentTimeMillis()),
                PredecessorLink.STDOUT_VARIABLE, PredecessorOutput.nameOf(1),
                PredecessorLink.STDERR_VARIABLE, PredecessorOutput.nameOf(2));
    }

    /** How a stop that came during the upgrade fails it: this generation then stops, it does not serve on. */
    static final String STOPPED = "was stopped: ";

    private String stillServing() {
        return "still serving as pid " + pid + " (generation " + generation + ")";
    }

    /** {@code 60s}, or {@code 1500ms} for what is not a whole number of seconds. */
    static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
