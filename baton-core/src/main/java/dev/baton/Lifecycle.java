package dev.baton;

import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.ControlServer;
import dev.baton.internal.control.ControlSocket;
import dev.baton.internal.control.ReloadResults;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.Message.Handover;
import dev.baton.internal.protocol.Message.ProcessInfo;
import dev.baton.internal.protocol.Message.ReadyNotice;
import dev.baton.internal.service.PidFile;
import dev.baton.internal.service.SocketActivation;
import dev.baton.internal.service.SystemdNotifier;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The life of one generation: ready, upgrade, drain, stop; and both sides of the handover.
 *
 * <p>Concurrency: {@code lock} guards {@code state}, {@code pending}, {@code stopRequested} and
 * {@code lastReload}; every state change happens under it. Work that blocks (starting and waiting for
 * a successor, talking to a peer, draining) runs outside it, on the caller's thread (an API call),
 * a control connection's thread, or the {@code baton-upgrade} and {@code baton-drain} threads.
 * Only one upgrade runs at a time: the state {@code UPGRADING} refuses a second.
 */
final class Lifecycle {

    private static final Logger LOG = System.getLogger("dev.baton");

    private final BatonOptions options;
    private final long pid;
    private final long startedEpochMillis;
    private final int generation;
    private final String name;
    private final Path controlPath;
    private final String supervisor;
    private final List<String> command;
    private final ListenerSet listeners;
    private final SystemdNotifier notifier;
    private final PidFile pidFile;
    private final OldGenerations oldGenerations = new OldGenerations();
    private final List<ManagedServer> servers = new CopyOnWriteArrayList<>();
    private final List<LifecycleListener> lifecycleListeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<String> hammerRequest = new CompletableFuture<>();
    private final String logPrefix;
    private final long openedNanos = System.nanoTime();

    private final ReentrantLock lock = new ReentrantLock();
    private GenerationState state = GenerationState.STARTING;
    private PendingUpgrade pending;
    private boolean stopRequested;
    private String lastReload = "none";

    private PredecessorLink predecessor;
    private int controlFd = -1;
    private volatile ControlServer controlServer;
    private volatile int hammered;

    private Lifecycle(BatonOptions options, Map<String, String> environment) throws IOException {
        this.options = options;
        ProcessHandle self = ProcessHandle.current();
        this.pid = self.pid();
        this.startedEpochMillis = self.info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElse(System.currentTimeMillis());
        this.pidFile = options.pidFile() == null ? null : PidFile.at(options.pidFile());
        this.command = currentCommandLine();
        this.supervisor = environment.get("BATON_SUPERVISOR_PID");
        this.predecessor = supervisor == null
                ? PredecessorLink.connect(environment, pid, options.controlTimeout()).orElse(null)
                : null;
        try {
            if (predecessor != null) {
                Handover handover = predecessor.handover();
                this.generation = handover.generation();
                this.name = handover.name();
                this.controlPath = predecessor.controlPath();
                this.logPrefix = prefix(generation, pid);
                if (!name.equals(options.name())) {
                    LOG.log(Level.WARNING, logPrefix + "this version names the service '" + options.name()
                            + "' but it took over '" + name + "'; the new name applies from the next cold start");
                }
                this.listeners = new ListenerSet(predecessor.listeners(), options.backlog(), logPrefix);
            } else {
                this.generation = supervisor == null ? 1 : parseGeneration(environment.get("BATON_GENERATION"));
                this.name = options.name();
                this.logPrefix = prefix(generation, pid);
                this.listeners = new ListenerSet(SocketActivation.fromEnvironment(environment, pid).stream()
                        .map(passed -> new InheritedListener(passed.name(), "", passed.fd())).toList(),
                        options.backlog(), logPrefix);
                if (supervisor == null) {
                    Path directory = options.controlDirectory() != null
                            ? options.controlDirectory()
                            : ControlSocket.directory(environment);
                    ControlSocket.prepareDirectory(directory);
                    this.controlPath = ControlSocket.path(directory, name);
                    this.controlFd = ControlSocket.bind(controlPath, name);
                } else {
                    this.controlPath = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (predecessor != null) {
                predecessor.close();
            }
            throw e;
        }
        this.notifier = SystemdNotifier.fromEnvironment(environment, logPrefix);
    }

    static Lifecycle open(BatonOptions options) throws IOException {
        Lifecycle lifecycle = new Lifecycle(options, System.getenv());
        SignalTriggers.install(lifecycle);
        LOG.log(Level.INFO, lifecycle.logPrefix + "starting" + lifecycle.describeOrigin());
        return lifecycle;
    }

    private String describeOrigin() {
        if (predecessor != null) {
            return " as the successor of pid " + predecessor.predecessorPid();
        }
        if (supervisor != null) {
            return " under the supervisor pid " + supervisor;
        }
        return "; control socket " + controlPath;
    }

    // ---- accessors -------------------------------------------------------------------------------

    int generation() {
        return generation;
    }

    long pid() {
        return pid;
    }

    String logPrefix() {
        return logPrefix;
    }

    GenerationState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    Path controlPath() {
        return controlPath;
    }

    ListenerSet listeners() {
        return listeners;
    }

    void register(ManagedServer server) {
        servers.add(server);
    }

    void addLifecycleListener(LifecycleListener listener) {
        lifecycleListeners.add(listener);
    }

    // ---- ready -----------------------------------------------------------------------------------

    void ready() throws IOException {
        lock.lock();
        try {
            if (state != GenerationState.STARTING) {
                throw new IllegalStateException("ready() called in state " + state + "; call it once, when the "
                        + "application can serve");
            }
        } finally {
            lock.unlock();
        }
        if (predecessor != null) {
            takeOverFromPredecessor();
        }
        listeners.closeUnclaimed();
        lock.lock();
        try {
            if (state != GenerationState.STARTING) {
                throw new IllegalStateException("stopped before ready: " + state);
            }
            state = GenerationState.SERVING;
        } finally {
            lock.unlock();
        }
        if (controlFd >= 0) {
            controlServer = ControlServer.start(controlFd, this::handleControl, options.controlTimeout(), logPrefix);
            controlFd = -1;
        }
        if (pidFile != null) {
            pidFile.write(pid);
        }
        for (ManagedServer server : servers) {
            server.startAccepting();
        }
        notifier.ready(pid, "serving generation " + generation);
        oldGenerations.enforce(options.maxDrainingGenerations(), logPrefix);
        LOG.log(Level.INFO, logPrefix + "serving on " + listeners.active() + "; ready "
                + Duration.ofNanos(System.nanoTime() - openedNanos).toMillis() + " ms after start");
        fire(listener -> listener.serving(generation));
    }

    private void takeOverFromPredecessor() throws IOException {
        try {
            predecessor.ready(listeners.activeNames(), options.controlTimeout());
        } catch (IOException e) {
            lock.lock();
            try {
                state = GenerationState.STOPPED;
            } finally {
                lock.unlock();
            }
            predecessor.close();
            stopped.countDown();
            throw e;
        }
        predecessor.adoptStandardStreams();
        oldGenerations.addAll(predecessor.handover().draining());
        lock.lock();
        try {
            lastReload = "generation " + generation + " (pid " + pid + ") took over from pid "
                    + predecessor.predecessorPid() + " at " + java.time.Instant.now();
        } finally {
            lock.unlock();
        }
        controlFd = predecessor.takeControlDescriptor();
        predecessor.close();
        predecessor = null;
    }

    // ---- upgrade (the predecessor's side) ----------------------------------------------------------

    void upgradeInBackground(String trigger) {
        Thread.ofPlatform().name("baton-upgrade").start(() -> upgrade(trigger));
    }

    UpgradeResult upgrade(String trigger) {
        PendingUpgrade upgrade;
        lock.lock();
        try {
            String refusal = refusal();
            if (refusal != null) {
                LOG.log(Level.WARNING, logPrefix + "upgrade requested by " + trigger + " refused: " + refusal);
                return UpgradeResult.refused(pid, refusal);
            }
            upgrade = new PendingUpgrade(generation + 1);
            pending = upgrade;
            state = GenerationState.UPGRADING;
        } finally {
            lock.unlock();
        }
        LOG.log(Level.INFO, logPrefix + "upgrade requested by " + trigger + ": starting generation "
                + upgrade.generation);
        notifier.reloading("starting generation " + upgrade.generation);
        UpgradeResult result = runUpgrade(upgrade);
        boolean stopAfterwards;
        lock.lock();
        try {
            pending = null;
            lastReload = result.message();
            if (!result.succeeded() && state == GenerationState.UPGRADING) {
                state = GenerationState.SERVING;
            }
            stopAfterwards = stopRequested && state == GenerationState.SERVING;
        } finally {
            lock.unlock();
        }
        if (result.succeeded()) {
            LOG.log(Level.INFO, logPrefix + result.message());
        } else {
            LOG.log(Level.WARNING, logPrefix + "upgrade failed: " + result.message()
                    + (result.lastOutput().isEmpty() ? "" : "; its last lines:\n  " + String.join("\n  ",
                    result.lastOutput())));
            notifier.reloadFailed("upgrade failed; serving generation " + generation);
        }
        fire(listener -> listener.upgradeEnded(result));
        if (stopAfterwards) {
            stop(false, "the stop requested during the upgrade");
        }
        return result;
    }

    /** Why an upgrade cannot start now, or null if it can. Called under the lock. */
    private String refusal() {
        if (supervisor != null) {
            return "this process is a worker of the Baton supervisor pid " + supervisor
                    + "; reload through the supervisor (baton reload)";
        }
        return switch (state) {
            case STARTING -> "generation " + generation + " is not ready yet";
            case SERVING -> null;
            case UPGRADING -> "an upgrade is already under way (successor pid "
                    + (pending.successor() == null ? "not yet started" : pending.successor().pid()) + ")";
            case DRAINING, STOPPED -> "generation " + generation + " is stopping";
        };
    }

    private UpgradeResult runUpgrade(PendingUpgrade upgrade) {
        SuccessorProcess successor;
        try {
            successor = SuccessorProcess.start(command,
                    Map.of(PredecessorLink.SOCKET_VARIABLE, controlPath.toString(),
                            PredecessorLink.PID_VARIABLE, Long.toString(pid)),
                    List.of("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"));
        } catch (IOException e) {
            return new UpgradeResult(UpgradeResult.Outcome.FAILED, pid, 0, upgrade.generation, upgrade.elapsed(),
                    "cannot start the successor " + command + ": " + e.getMessage() + "; still serving as pid " + pid
                    + " (generation " + generation + ")", List.of());
        }
        upgrade.started(successor);
        LOG.log(Level.INFO, logPrefix + "started successor pid " + successor.pid() + " (generation "
                + upgrade.generation + ")");
        successor.onExit().thenRun(() -> upgrade.settleFailed(successor.exitDescription() + " before it was ready"));
        PendingUpgrade.Settlement settlement;
        try {
            settlement = upgrade.settlement().get(options.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            upgrade.settleFailed("was not ready within " + options.readyTimeout().toSeconds() + "s");
            settlement = upgrade.settlement().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            upgrade.settleFailed("the upgrade was interrupted");
            settlement = upgrade.settlement().join();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
        Duration elapsed = upgrade.elapsed();
        if (settlement.ready()) {
            return new UpgradeResult(UpgradeResult.Outcome.SUCCEEDED, pid, successor.pid(), upgrade.generation, elapsed,
                    "generation " + upgrade.generation + " (pid " + successor.pid() + ") is ready after "
                    + elapsed.toMillis() + " ms; generation " + generation + " (pid " + pid + ") drains", List.of());
        }
        boolean wasRunning = successor.isAlive();
        successor.stop(options.stopTimeout(), logPrefix);
        String exit = wasRunning ? "; stopped it (" + successor.exitDescription() + ")" : "";
        return new UpgradeResult(UpgradeResult.Outcome.FAILED, pid, successor.pid(), upgrade.generation, elapsed,
                "successor pid " + successor.pid() + " (generation " + upgrade.generation + ") "
                + settlement.reason() + exit + "; still serving as pid " + pid + " (generation " + generation + ")",
                successor.lastLines());
    }

    // ---- handover (the predecessor's side, on a control connection) ------------------------------

    private void handover(ControlChannel channel, PeerCredentials peer) throws IOException {
        PendingUpgrade upgrade;
        lock.lock();
        try {
            upgrade = pending;
            if (upgrade == null || !upgrade.claimHandover(peer.pid())) {
                upgrade = null;
            }
        } finally {
            lock.unlock();
        }
        if (upgrade == null) {
            LOG.log(Level.WARNING, logPrefix + "refused a handover to pid " + peer.pid() + ": no upgrade waits for it");
            channel.send(new Message.Refused("no upgrade is waiting for pid " + peer.pid()));
            return;
        }
        List<ProcessInfo> draining = new ArrayList<>(oldGenerations.stillDraining());
        draining.add(new ProcessInfo(pid, generation, "draining", startedEpochMillis));
        int[] listenerFds = listeners.descriptors();
        int[] fds = Arrays.copyOf(listenerFds, listenerFds.length + 3);
        fds[listenerFds.length] = controlServer.descriptor();
        fds[listenerFds.length + 1] = 1;
        fds[listenerFds.length + 2] = 2;
        channel.send(new Handover(name, upgrade.generation, listeners.specs(), draining), fds);
        LOG.log(Level.DEBUG, () -> logPrefix + "handed " + fds.length + " descriptors to pid " + peer.pid());
        Message notice;
        try {
            notice = channel.receiveMessage(options.readyTimeout().minus(upgrade.elapsed()).plusSeconds(1));
        } catch (IOException e) {
            upgrade.settleFailed("broke off the handover (" + e.getMessage() + ")");
            return;
        }
        if (!(notice instanceof ReadyNotice)) {
            upgrade.settleFailed("sent " + notice.getClass().getSimpleName() + " instead of ready");
            channel.send(new Message.Refused("expected ready, got " + notice.getClass().getSimpleName()));
            return;
        }
        // Control connections taken from here on wait for the successor instead of reaching a
        // generation that is about to drain (and would refuse a reload).
        controlServer.pause();
        boolean committed;
        lock.lock();
        try {
            committed = upgrade.settleReady();
            if (committed) {
                state = GenerationState.DRAINING;
            }
        } finally {
            lock.unlock();
        }
        if (!committed) {
            controlServer.resume();
            channel.send(new Message.Refused("too late: the successor " + upgrade.settlement().join().reason()));
            return;
        }
        channel.send(new Message.ReadyAck());
        controlServer.close();
        startDrain(false, "generation " + upgrade.generation + " (pid " + peer.pid() + ") is serving");
    }

    // ---- control requests --------------------------------------------------------------------------

    private void handleControl(ControlChannel channel, PeerCredentials peer, Message request) throws IOException {
        switch (request) {
            case Message.HandoverRequest _ -> handover(channel, peer);
            case Message.ReloadRequest _ -> {
                UpgradeResult result = upgrade("baton reload (pid " + peer.pid() + ")");
                channel.send(ReloadResults.toMessage(result));
            }
            case Message.StatusRequest _ -> channel.send(status());
            case Message.StopRequest stop -> {
                channel.send(new Message.StopAck(pid));
                stop(stop.now(), "baton stop" + (stop.now() ? " --now" : "") + " (pid " + peer.pid() + ")");
            }
            default -> channel.send(new Message.Refused("unexpected " + request.getClass().getSimpleName()
                    + " request"));
        }
    }

    private Message.StatusReply status() {
        String current;
        String reload;
        lock.lock();
        try {
            current = state.name().toLowerCase(java.util.Locale.ROOT);
            reload = lastReload;
        } finally {
            lock.unlock();
        }
        List<ProcessInfo> processes = new ArrayList<>();
        processes.add(new ProcessInfo(pid, generation, current, startedEpochMillis));
        processes.addAll(oldGenerations.stillDraining());
        return new Message.StatusReply(pid, name, "in-process", current, listeners.boundSpecs(), processes, reload);
    }

    // ---- stop and drain ----------------------------------------------------------------------------

    /**
     * Stops this generation: drains it if it serves, hammers it if it already drains (a second stop, or
     * a serving generation that found too many draining), exits the JVM if it is not ready yet.
     */
    void stop(boolean now, String trigger) {
        boolean drain = false;
        lock.lock();
        try {
            switch (state) {
                case STARTING -> {
                    LOG.log(Level.INFO, logPrefix + trigger + " before ready: exiting");
                    state = GenerationState.STOPPED;
                    stopped.countDown();
                    Thread.ofPlatform().start(() -> Runtime.getRuntime().exit(143));
                    return;
                }
                case SERVING -> {
                    state = GenerationState.DRAINING;
                    drain = true;
                }
                case UPGRADING -> {
                    stopRequested = true;
                    pending.settleFailed("was stopped: " + trigger + " arrived during the upgrade");
                }
                case DRAINING -> {
                    if (!hammerRequest.isDone()) {
                        LOG.log(Level.WARNING, logPrefix + trigger + " while draining: stopping at once");
                    }
                    hammerRequest.complete(trigger);
                }
                case STOPPED -> { }
            }
            if (now) {
                hammerRequest.complete(trigger);
            }
        } finally {
            lock.unlock();
        }
        if (drain) {
            startDrain(true, trigger);
        }
    }

    private void startDrain(boolean finalStop, String why) {
        Thread.ofPlatform().name("baton-drain").start(() -> drain(finalStop, why));
    }

    private void drain(boolean finalStop, String why) {
        long start = System.nanoTime();
        LOG.log(Level.INFO, logPrefix + "draining (" + why + "): no longer accepting; drain timeout "
                + options.drainTimeout().toSeconds() + "s");
        if (finalStop) {
            notifier.stopping("stopping generation " + generation);
            if (controlServer != null) {
                controlServer.close();
                deleteQuietly(controlPath);
            }
            if (pidFile != null) {
                try {
                    pidFile.removeIfHolds(pid);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, logPrefix + "cannot remove the pidfile: " + e.getMessage());
                }
            }
        }
        fire(listener -> listener.drainingStarted(generation));
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        for (ManagedServer server : servers) {
            try {
                drains.add(server.drain());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, logPrefix + "server " + server + " failed to start draining", e);
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new));
        try {
            CompletableFuture.anyOf(all, hammerRequest).get(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            hammerRequest.complete("the drain timeout (" + options.drainTimeout().toSeconds() + "s)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, logPrefix + "a server failed to drain", e.getCause());
        }
        if (!all.isDone()) {
            int cut = 0;
            for (ManagedServer server : servers) {
                cut += server.hammer();
            }
            hammered = cut;
            LOG.log(Level.WARNING, logPrefix + "hammer: " + hammerRequest.getNow("a hammer request") + " came with "
                    + cut + " connections still open; closed them");
        }
        listeners.closeAll();
        if (finalStop) {
            deleteUnixListenerFiles();
        }
        lock.lock();
        try {
            state = GenerationState.STOPPED;
        } finally {
            lock.unlock();
        }
        LOG.log(Level.INFO, logPrefix + "drained in " + Duration.ofNanos(System.nanoTime() - start).toMillis()
                + " ms" + (hammered > 0 ? " (" + hammered + " connections hammered)" : "") + "; stopped");
        fire(listener -> listener.stopped(generation, hammered));
        stopped.countDown();
    }

    private void deleteUnixListenerFiles() {
        for (Listener listener : listeners.active()) {
            if (listener.address() instanceof ListenAddress.Unix unix) {
                deleteQuietly(unix.path());
            }
        }
    }

    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    int hammered() {
        return hammered;
    }

    /** Releases what a generation that never became ready holds. */
    void abandon() {
        if (predecessor != null) {
            predecessor.close();
        }
        if (controlFd >= 0) {
            Descriptors.closeQuietly(controlFd);
            deleteQuietly(controlPath);
            controlFd = -1;
        }
        listeners.closeAll();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private void fire(Consumer<LifecycleListener> event) {
        for (LifecycleListener listener : lifecycleListeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, logPrefix + "lifecycle listener " + listener + " failed", e);
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

    private static String prefix(int generation, long pid) {
        return "[gen " + generation + " pid " + pid + "] ";
    }

    private static int parseGeneration(String value) {
        if (value == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** This process's exact command line, from {@code /proc/self/cmdline}, to run the successor. */
    private static List<String> currentCommandLine() throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        List<String> arguments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                arguments.add(new String(bytes, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return List.copyOf(arguments);
    }
}
