package dev.baton.grpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether a drain ends the service (a final stop) or hands it to a successor that serves on the
 * same sockets: the one place that decides, so that health turns NOT_SERVING only at a final stop.
 *
 * <p>The core says a final stop began ({@code LifecycleListener.stopping}) before it drains, and that
 * an upgrade succeeded ({@code upgradeEnded}) about when the handover's drain begins, on another
 * thread: so a drain without either waits {@link #SUCCESSOR_WAIT} for word of a successor, and takes
 * itself for a final stop otherwise (a server that is not registered as a lifecycle listener).
 */
final class DrainCause {

    /** How long a drain waits for word that a successor serves before taking itself for a final stop. */
    static final Duration SUCCESSOR_WAIT = Duration.ofSeconds(1);

    private final CompletableFuture<Boolean> finalStop = new CompletableFuture<>();

    /** A successor serves on this generation's sockets: the drain to come is a handover. */
    void successorServing() {
        finalStop.complete(false);
    }

    /** The drain to come ends the service. */
    void stopping() {
        finalStop.complete(true);
    }

    /** Completes with whether the drain that begins now is a final stop. */
    CompletableFuture<Boolean> atDrain() {
        return finalStop.copy().completeOnTimeout(true, SUCCESSOR_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
