package dev.baton.grpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether a drain ends the service (a final stop) or hands it to a successor that serves on the
 * same sockets: the one place that decides, so that health turns NOT_SERVING only at a final stop.
 *
 * <p>The core does not say yet which a drain is. Until it does, a drain is a handover when the last
 * upgrade of this generation ended with its successor serving (the core reports that on another
 * thread, about when the drain begins, so the decision waits {@link #SUCCESSOR_WAIT} for it), and a
 * final stop otherwise, unless {@link #stopping()} said so first. When the core says it, it calls
 * {@link #stopping()} or {@link #successorServing()} before the drain and the wait never happens.
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
