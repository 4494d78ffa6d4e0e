package dev.baton;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The old generation's probation after its successor said ready: it stops accepting but keeps its copy
 * of the listeners and serves the connections it has, for {@link BatonOptions#probation()}; if the
 * successor dies within that time it accepts again, so that the socket never goes without an acceptor.
 * Without a probation (zero), or with a server that cannot pause accepting, the old generation drains at
 * once, as before.
 *
 * <p>Runs on the handover thread; {@code warned} is a concurrent set, the rest is set once.
 */
final class Probation {

    private static final Logger LOG = System.getLogger("dev.baton");

    private final Duration period;
    private final GenerationClock clock;
    private final Supplier<List<ManagedServer>> servers;
    private final String logPrefix;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    Probation(Duration period, GenerationClock clock, Supplier<List<ManagedServer>> servers, String logPrefix) {
        this.period = period;
        this.clock = clock;
        this.servers = servers;
        this.logPrefix = logPrefix;
    }

    /**
     * Keeps this generation on probation while {@code successor} proves it lives.
     *
     * @return how the successor died during the probation (this generation accepts again), or empty if it
     *     lived through it, exited cleanly (it was stopped: the service stops), or if there was no probation
     */
    Optional<String> watch(Successor successor) {
        List<ManagedServer> paused = servers.get();
        if (period.isZero() || !canPause(paused)) {
            return Optional.empty();
        }
        paused.forEach(ManagedServer::pauseAccepting);
        LOG.log(Level.INFO, logPrefix + "successor pid " + successor.pid() + " is ready; on probation for "
                + UpgradeRun.seconds(period) + ": not accepting, still holding the listeners");
        long start = clock.nanoTime();
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        successor.onExit().thenRun(() -> outcome.complete(false));
        clock.schedule(period, () -> outcome.complete(true));
        boolean lived;
        try {
            lived = outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lived = true; // the process is going away; leave the service to the successor
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
        if (lived && successor.isAlive()) {
            return Optional.empty();
        }
        if (successor.exitedCleanly()) {
            // it was stopped (a `baton stop` reaches the successor, which holds the control socket now) and
            // drained: the service stops, so this generation drains too instead of serving on alone
            LOG.log(Level.INFO, logPrefix + "successor pid " + successor.pid() + " exited with status 0 during its "
                    + "probation: it was stopped, so this generation drains too");
            return Optional.empty();
        }
        paused.forEach(ManagedServer::resumeAccepting);
        String death = "died " + clock.since(start).toMillis() + " ms into its " + UpgradeRun.seconds(period)
                + " probation after it was ready (" + successor.exitDescription() + ")";
        LOG.log(Level.WARNING, logPrefix + "successor pid " + successor.pid() + " " + death
                + "; accepting again on the listeners this generation kept");
        return Optional.of(death);
    }

    private boolean canPause(List<ManagedServer> candidates) {
        boolean all = true;
        for (ManagedServer server : candidates) {
            if (!server.canPauseAccepting()) {
                all = false;
                String kind = server.getClass().getName();
                if (warned.add(kind)) {
                    LOG.log(Level.WARNING, logPrefix + "no probation after an upgrade: the server " + kind
                            + " cannot pause accepting, so this generation drains as soon as its successor is "
                            + "ready (implement ManagedServer.pauseAccepting to have one)");
                }
            }
        }
        return all;
    }
}
