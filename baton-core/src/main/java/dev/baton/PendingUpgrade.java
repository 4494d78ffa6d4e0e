package dev.baton;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upgrade under way, from the predecessor's side: the successor being started and how it ends.
 * The first of "ready", "exited", "timed out", "handover failed" or "stop requested" to be settled
 * decides; later ones are ignored. Once the successor's ready is {@linkplain #acknowledge() acknowledged}
 * it serves, and only the end of the probation settles the upgrade: ready if the successor lived through
 * it, failed if it died ({@link #failProbation}); a timeout or a stop no longer does.
 *
 * <p>Concurrency: thread-safe on its own, without any other object's lock: {@code successor} is
 * volatile, {@code handedOver} atomic, {@code acknowledged} and the settlement change under this
 * object's monitor, and the settlement is a future that completes once. The settlement has no dependent
 * stages (only a thread waits for it), so completing it runs no code, and {@link GenerationStates} may
 * do so under its lock.
 */
final class PendingUpgrade {

    /** How the upgrade was settled: ready, or failed for {@code reason}. */
    record Settlement(boolean ready, String reason) {}

    final int generation;
    private final GenerationClock clock;
    private final long startNanos;
    private final CompletableFuture<Settlement> settlement = new CompletableFuture<>();
    private final AtomicBoolean handedOver = new AtomicBoolean();
    private volatile Successor successor;
    private boolean acknowledged; // guarded by this
    private long acknowledgedNanos; // guarded by this

    PendingUpgrade(int generation, GenerationClock clock) {
        this.generation = generation;
        this.clock = clock;
        this.startNanos = clock.nanoTime();
    }

    Duration elapsed() {
        return clock.since(startNanos);
    }

    /** From the start until the successor's ready was acknowledged, or until now if it was not (yet). */
    synchronized Duration untilReady() {
        return acknowledged ? Duration.ofNanos(acknowledgedNanos - startNanos) : elapsed();
    }

    void started(Successor process) {
        successor = process;
    }

    /** The successor, or null until it is started. */
    Successor successor() {
        return successor;
    }

    /** The successor's pid, or 0 until it is started. */
    long successorPid() {
        Successor process = successor;
        return process == null ? 0 : process.pid();
    }

    /** Whether {@code pid} is this upgrade's successor and has not been handed the listeners yet; marks it handed. */
    boolean claimHandover(long pid) {
        Successor process = successor;
        return process != null && process.pid() == pid && !settlement.isDone() && handedOver.compareAndSet(false, true);
    }

    /**
     * The successor's ready is accepted: from now on only the probation's end settles this upgrade.
     *
     * @return false if it was settled already (it failed first)
     */
    synchronized boolean acknowledge() {
        if (settlement.isDone() || acknowledged) {
            return false;
        }
        acknowledged = true;
        acknowledgedNanos = clock.nanoTime();
        return true;
    }

    synchronized boolean settleReady() {
        return settlement.complete(new Settlement(true, ""));
    }

    /** Fails the upgrade for {@code reason}, unless it was settled, or the successor's ready acknowledged. */
    synchronized boolean settleFailed(String reason) {
        return !acknowledged && settlement.complete(new Settlement(false, reason));
    }

    /** The acknowledged successor died on probation: the upgrade failed after all. */
    synchronized boolean failProbation(String reason) {
        return settlement.complete(new Settlement(false, reason));
    }

    CompletableFuture<Settlement> settlement() {
        return settlement;
    }
}
