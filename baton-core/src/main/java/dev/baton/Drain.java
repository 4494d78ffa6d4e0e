package dev.baton;

import dev.baton.internal.control.ControlServer;
import dev.baton.internal.events.BatonEvents;
import dev.baton.internal.service.PidFile;
import dev.baton.internal.service.SystemdNotifier;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The end of a generation: stops its servers accepting, lets them finish what is in flight until the
 * drain timeout, hammers what remains (at the timeout, or earlier on a second stop or when too many old
 * generations drain), closes this process's copies of the listeners; on a final stop also tells systemd,
 * closes the control socket and removes the pidfile. A final stop with a shutdown delay tells the listeners
 * {@code stopping} at once (readiness turns "not ready"), then goes on accepting and serving for the delay
 * before it drains, so that a load balancer has stopped routing here by then; a hammer request (a second
 * stop, {@code baton stop --now}) cuts the delay short. A drain after a handover never waits.
 *
 * <p>Concurrency: a drain runs once, on the {@code baton-drain} platform thread; {@code hammerRequest}
 * is a future any thread may complete, {@code hammered} is written once by the drain thread.
 */
final class Drain {

    private static final Logger LOG = System.getLogger("dev.baton");

    private final List<ManagedServer> servers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> hammerRequest = new CompletableFuture<>();
    private final Duration drainTimeout;
    private final Duration shutdownDelay;
    private final GenerationClock clock;
    private final ListenerSet listeners;
    private final SystemdNotifier notifier;
    private final PidFile pidFile;
    private final Supplier<ControlServer> controlServer;
    private final Optional<Path> controlPath;
    private final LifecycleEvents events;
    private final int generation;
    private final long pid;
    private final String logPrefix;
    private final Runnable onStopped;
    private final AtomicBoolean stoppingAnnounced = new AtomicBoolean();
    private final boolean stoppingByNotice;
    private volatile int hammered;

    /**
     * @param pidFile the pidfile, or null for none
     * @param stoppingByNotice whether only {@link #announceStopping()} tells the listeners {@code stopping}: a
     *     supervised worker gets SIGTERM for a reload too, so it learns of a final stop from the supervisor's
     *     notice, and its supervisor applies the shutdown delay
     * @param onStopped called once the drain is over, on the drain thread
     */
    Drain(BatonOptions options, GenerationClock clock, ListenerSet listeners, SystemdNotifier notifier,
            PidFile pidFile, Supplier<ControlServer> controlServer, Optional<Path> controlPath, LifecycleEvents events,
            int generation, long pid, String logPrefix, boolean stoppingByNotice, Runnable onStopped) {
        this.drainTimeout = options.drainTimeout();
        this.stoppingByNotice = stoppingByNotice;
        this.shutdownDelay = stoppingByNotice ? Duration.ZERO : options.shutdownDelay();
        this.clock = clock;
        this.listeners = listeners;
        this.notifier = notifier;
        this.pidFile = pidFile;
        this.controlServer = controlServer;
        this.controlPath = controlPath;
        this.events = events;
        this.generation = generation;
        this.pid = pid;
        this.logPrefix = logPrefix;
        this.onStopped = onStopped;
    }

    void register(ManagedServer server) {
        servers.add(server);
    }

    List<ManagedServer> servers() {
        return List.copyOf(servers);
    }

    /** Starts the drain in the background; {@code finalStop} if the service stops (no successor serves). */
    void start(boolean finalStop, String why) {
        // Not a daemon, whatever the caller is: a server's own threads may end as its listener closes (Reactor
        // Netty's only non-daemon thread does), and the JVM must not begin exiting before the drain is done.
        Thread.ofPlatform().name("baton-drain").daemon(false).start(() -> drain(finalStop, why));
    }

    /** Tells the listeners and systemd, once, that a final stop began: readiness turns "not ready". */
    void announceStopping() {
        if (stoppingAnnounced.compareAndSet(false, true)) {
            events.fire(listener -> listener.stopping(generation));
            notifier.stopping("stopping generation " + generation);
        }
    }

    /** Closes what remains at once, now or as soon as the drain has begun; logs the first request. */
    void hammer(String trigger) {
        if (hammerRequest.complete(trigger)) {
            LOG.log(Level.WARNING, logPrefix + trigger + " while stopping: stopping at once");
        }
    }

    /** Makes the coming drain close what remains at once ({@code baton stop --now}). */
    void hammerWhenDraining(String trigger) {
        hammerRequest.complete(trigger);
    }

    /** How many connections the hammer closed: 0 until the drain is over, and if it never came. */
    int hammered() {
        return hammered;
    }

    private void drain(boolean finalStop, String why) {
        if (finalStop) {
            if (!stoppingByNotice) {
                announceStopping();
            }
            awaitShutdownDelay(why);
        }
        long start = clock.nanoTime();
        BatonEvents.Drain recorded = BatonEvents.drainStarted(generation, pid, finalStop, why);
        LOG.log(Level.INFO, logPrefix + "draining (" + why + "): no longer accepting; drain timeout "
                + drainTimeout.toSeconds() + "s");
        if (finalStop) {
            ControlServer server = controlServer.get();
            if (server != null) {
                server.close();
                controlPath.ifPresent(this::deleteQuietly);
            }
            if (pidFile != null) {
                try {
                    pidFile.removeIfHolds(pid);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, logPrefix + "cannot remove the pidfile: " + e.getMessage());
                }
            }
        }
        events.fire(listener -> listener.drainingStarted(generation));
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        for (ManagedServer server : servers) {
            try {
                drains.add(server.drain());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, logPrefix + "server " + server + " failed to start draining", e);
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new));
        clock.schedule(drainTimeout, () -> hammerRequest.complete("the drain timeout ("
                + drainTimeout.toSeconds() + "s)"));
        try {
            CompletableFuture.anyOf(all, hammerRequest).get();
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
            recorded.hammered(cut, hammerRequest.getNow("a hammer request"));
            LOG.log(Level.WARNING, logPrefix + "hammer: " + hammerRequest.getNow("a hammer request") + " came with "
                    + cut + " connections still open; closed them");
        }
        listeners.closeAll();
        if (finalStop) {
            deleteUnixListenerFiles();
        }
        LOG.log(Level.INFO, logPrefix + "drained in " + clock.since(start).toMillis() + " ms"
                + (hammered > 0 ? " (" + hammered + " connections hammered)" : "") + "; stopped");
        recorded.drained(hammered);
        Duration took = clock.since(start);
        events.fire(listener -> listener.drained(generation, took, hammered));
        if (!finalStop) {
            controlPath.ifPresent(path -> DrainReport.send(path, generation, pid, took, hammered, logPrefix));
        }
        onStopped.run();
    }

    /** Goes on serving, not ready, for the shutdown delay, or until a hammer request cuts it short. */
    private void awaitShutdownDelay(String why) {
        if (shutdownDelay.isZero()) {
            return;
        }
        LOG.log(Level.INFO, logPrefix + "stopping (" + why + "): not ready any more; still accepting and serving "
                + "for the shutdown delay (" + BatonOptions.formatDuration(shutdownDelay) + "), then draining");
        CompletableFuture<Void> delayOver = new CompletableFuture<>();
        clock.schedule(shutdownDelay, () -> delayOver.complete(null));
        try {
            CompletableFuture.anyOf(delayOver, hammerRequest).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("neither future completes exceptionally", e);
        }
        if (!delayOver.isDone()) {
            LOG.log(Level.INFO, logPrefix + "shutdown delay cut short: " + hammerRequest.getNow("a hammer request"));
        }
    }

    private void deleteUnixListenerFiles() {
        for (Listener listener : listeners.active()) {
            if (listener.address() instanceof ListenAddress.Unix unix) {
                deleteQuietly(unix.path());
            }
        }
    }

    void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot remove " + path + ": " + e.getMessage());
        }
    }
}
