package dev.baton;

/**
 * Hooks into a generation's lifecycle. Every method has an empty default; they are called on Baton's
 * own threads, must return quickly, and must not throw (what they throw is logged and ignored).
 */
public interface LifecycleListener {

    /** This generation is ready and accepting connections. */
    default void serving(int generation) {}

    /** An upgrade ended; {@code result} says how. */
    default void upgradeEnded(UpgradeResult result) {}

    /** This generation stopped accepting and began to drain (its successor is ready, or it was asked to stop). */
    default void drainingStarted(int generation) {}

    /**
     * This generation has drained: the process should exit.
     *
     * @param hammered how many connections were still open at the drain timeout and were closed
     */
    default void stopped(int generation, int hammered) {}
}
