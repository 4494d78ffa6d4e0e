package dev.baton;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One upgrade under way, from the predecessor's side: the successor being started and how it ends.
 * The first of "ready", "exited", "timed out", "handover failed" or "stop requested" to be
 * {@linkplain #settle settled} decides; later ones are ignored.
 */
final class PendingUpgrade {

    /** How the upgrade was settled: ready, or failed for {@code reason}. */
    record Settlement(boolean ready, String reason) {}

    final int generation;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<Settlement> settlement = new CompletableFuture<>();
    private volatile SuccessorProcess successor;
    private boolean handedOver; // guarded by the lifecycle's lock

    PendingUpgrade(int generation) {
        this.generation = generation;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    void started(SuccessorProcess process) {
        successor = process;
    }

    SuccessorProcess successor() {
        return successor;
    }

    /** Whether {@code pid} is this upgrade's successor and has not been handed the listeners yet; marks it handed. */
    boolean claimHandover(long pid) {
        SuccessorProcess process = successor;
        if (process == null || process.pid() != pid || handedOver || settlement.isDone()) {
            return false;
        }
        handedOver = true;
        return true;
    }

    boolean settleReady() {
        return settlement.complete(new Settlement(true, ""));
    }

    boolean settleFailed(String reason) {
        return settlement.complete(new Settlement(false, reason));
    }

    CompletableFuture<Settlement> settlement() {
        return settlement;
    }
}
