package dev.baton;

import java.time.Duration;

/**
 * Hooks into a generation's lifecycle. Every method has an empty default; they are called on Baton's
 * own threads, must return quickly, and must not throw (what they throw is logged and ignored).
 */
public interface LifecycleListener {

    /** This generation is ready and accepting connections. */
    default void serving(int generation) {}

    /** An upgrade ended; {@code result} says how. */
    default void upgradeEnded(UpgradeResult result) {}

    /**
     * An upgrade was refused before any successor was started (another was under way, or this generation
     * was not serving); {@link #upgradeEnded} is not called for it.
     */
    default void upgradeRefused(UpgradeResult result) {}

    /**
     * A final stop of the service began (SIGTERM, {@code baton stop}, {@link Baton#stop()}): no successor
     * will serve on these sockets, so readiness signals (an HTTP {@code /ready}, the gRPC health service)
     * should turn "not ready" now. Called before {@link #drainingStarted}; never for the drain that
     * follows a handover, during which the service stays ready. With a shutdown delay it comes at once, and
     * the service goes on serving for the delay. A supervised worker hears it when its supervisor's notice
     * (SIGWINCH) says a final stop began, never for the SIGTERM that retires it after a reload.
     */
    default void stopping(int generation) {}

    /** This generation stopped accepting and began to drain (its successor is ready, or it was asked to stop). */
    default void drainingStarted(int generation) {}

    /**
     * A generation of this service has drained, in {@code took}, the hammer closing {@code hammered}
     * connections: this one (called just before {@link #stopped}), or, heard by the serving generation, an
     * older one that reported its drain over the control socket.
     */
    default void drained(int generation, Duration took, int hammered) {}

    /**
     * This generation has drained: the process should exit.
     *
     * @param hammered how many connections were still open at the drain timeout and were closed
     */
    default void stopped(int generation, int hammered) {}
}
