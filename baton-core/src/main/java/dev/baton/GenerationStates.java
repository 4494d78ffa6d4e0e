package dev.baton;

import dev.baton.internal.control.Refusals;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state machine of one generation: its phase, the upgrade it runs, a stop that waits for a step to
 * end, and how the last reload ended. The one owner of that state.
 *
 * <p>Concurrency: {@code lock} guards every field. Each method takes it, checks and changes the state,
 * and returns what the caller must do next; none blocks or calls out under it. The
 * work that blocks (a takeover, a successor's start, a drain) runs outside it, on the caller's thread,
 * and comes back through another method. A step that blocks is claimed first ({@code READYING},
 * {@code UPGRADING}), so that two callers can never both start it.
 */
final class GenerationStates {

    /** The phases: {@link GenerationState}'s, with {@code READYING} between STARTING and SERVING. */
    enum Phase { STARTING, READYING, SERVING, UPGRADING, DRAINING, STOPPED }

    /** What {@link #requestStop} asks the caller to do. */
    enum StopAction {
        /** Nothing more: it was not ready, and is stopped now ({@link Lifecycle#awaitStopped} returns). */
        RELEASE,
        /** Drain: it served, and drains now. */
        DRAIN,
        /** Wait: a takeover or an upgrade is under way; the stop follows once it has ended. */
        DEFERRED,
        /** Hammer: it already drains. */
        HAMMER,
        /** Nothing: it has stopped. */
        NONE
    }

    private final int generation;
    private final Optional<String> upgradeRefusal;
    private final ReentrantLock lock = new ReentrantLock();
    private Phase phase = Phase.STARTING;
    private PendingUpgrade pending;
    private String deferredStop;
    private String lastReload = "none";

    /** @param upgradeRefusal why this generation never upgrades itself (a supervised worker), if it does not */
    GenerationStates(int generation, Optional<String> upgradeRefusal) {
        this.generation = generation;
        this.upgradeRefusal = upgradeRefusal;
    }

    Phase phase() {
        lock.lock();
        try {
            return phase;
        } finally {
            lock.unlock();
        }
    }

    /** The state the API shows: a takeover under way is still STARTING. */
    GenerationState state() {
        return switch (phase()) {
            case STARTING, READYING -> GenerationState.STARTING;
            case SERVING -> GenerationState.SERVING;
            case UPGRADING -> GenerationState.UPGRADING;
            case DRAINING -> GenerationState.DRAINING;
            case STOPPED -> GenerationState.STOPPED;
        };
    }

    String lastReload() {
        lock.lock();
        try {
            return lastReload;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims the step to SERVING: STARTING to READYING. Exactly one caller gets past this.
     *
     * @throws IllegalStateException if ready() was called before, or the generation was stopped
     */
    void claimReady() {
        lock.lock();
        try {
            if (phase != Phase.STARTING) {
                throw new IllegalStateException("ready() called in state " + (phase == Phase.READYING
                        ? "STARTING, while another ready() call takes over" : phase.name())
                        + "; call it once, when the application can serve");
            }
            phase = Phase.READYING;
        } finally {
            lock.unlock();
        }
    }

    /** The takeover failed: READYING to STOPPED. */
    void readyFailed() {
        lock.lock();
        try {
            phase = Phase.STOPPED;
            deferredStop = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * READYING to SERVING.
     *
     * @param reload how the takeover went, for the status, or null if there was none
     * @return the trigger of a stop that came during the takeover, to act on now, if one came
     */
    Optional<String> served(String reload) {
        lock.lock();
        try {
            phase = Phase.SERVING;
            if (reload != null) {
                lastReload = reload;
            }
            return takeDeferredStop();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims an upgrade: SERVING to UPGRADING, with a new {@link PendingUpgrade}.
     *
     * @return the refusal if it cannot start now, else the upgrade it started
     */
    Claim beginUpgrade(GenerationClock clock) {
        lock.lock();
        try {
            if (upgradeRefusal.isPresent()) {
                return new Claim(null, upgradeRefusal.get());
            }
            String refusal = switch (phase) {
                case STARTING, READYING -> Refusals.notReady(generation);
                case SERVING -> null;
                case UPGRADING -> Refusals.upgradeUnderWay(pending.successorPid());
                case DRAINING, STOPPED -> Refusals.generationStopping(generation);
            };
            if (refusal != null) {
                return new Claim(null, refusal);
            }
            pending = new PendingUpgrade(generation + 1, clock);
            phase = Phase.UPGRADING;
            return new Claim(pending, null);
        } finally {
            lock.unlock();
        }
    }

    /** An upgrade claimed, or why none could be. */
    record Claim(PendingUpgrade upgrade, String refusal) {}

    /** The upgrade waiting for a successor of that pid, marked handed over; empty if none waits for it. */
    Optional<PendingUpgrade> claimHandover(long pid) {
        lock.lock();
        try {
            return pending != null && phase == Phase.UPGRADING && pending.claimHandover(pid)
                    ? Optional.of(pending) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The successor is ready and serves: its ready is acknowledged, if nothing settled the upgrade first;
     * returns whether. The phase stays UPGRADING until {@link #probationPassed} (or the probation failed).
     */
    boolean commit(PendingUpgrade upgrade) {
        lock.lock();
        try {
            // Acknowledged under the lock, so that a timeout or a stop cannot settle it between the two steps.
            return pending == upgrade && phase == Phase.UPGRADING && upgrade.acknowledge();
        } finally {
            lock.unlock();
        }
    }

    /** The successor lived through the probation: UPGRADING to DRAINING, the upgrade settled as ready. */
    void probationPassed(PendingUpgrade upgrade) {
        lock.lock();
        try {
            // the settlement has no dependent stages: completing it only wakes the thread waiting for it
            if (upgrade.settleReady() && pending == upgrade && phase == Phase.UPGRADING) {
                phase = Phase.DRAINING;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The upgrade ended: back to SERVING if it failed.
     *
     * @return the trigger of a stop that came during it, to act on now, if one came and this still serves
     */
    Optional<String> upgradeEnded(UpgradeResult result) {
        lock.lock();
        try {
            pending = null;
            lastReload = result.message();
            if (phase == Phase.UPGRADING) {
                phase = result.succeeded() ? Phase.DRAINING : Phase.SERVING;
            }
            return phase == Phase.SERVING ? takeDeferredStop() : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A stop: STARTING to STOPPED, SERVING to DRAINING; during a takeover or an upgrade, remembered for
     * when it ends (the caller settles the {@link #pendingUpgrade()} as failed).
     */
    StopAction requestStop(String trigger) {
        lock.lock();
        try {
            return switch (phase) {
                case STARTING -> {
                    phase = Phase.STOPPED;
                    yield StopAction.RELEASE;
                }
                case SERVING -> {
                    phase = Phase.DRAINING;
                    yield StopAction.DRAIN;
                }
                case READYING, UPGRADING -> {
                    deferredStop = trigger;
                    yield StopAction.DEFERRED;
                }
                case DRAINING -> StopAction.HAMMER;
                case STOPPED -> StopAction.NONE;
            };
        } finally {
            lock.unlock();
        }
    }

    /** The upgrade under way, if one is. */
    Optional<PendingUpgrade> pendingUpgrade() {
        lock.lock();
        try {
            return Optional.ofNullable(pending);
        } finally {
            lock.unlock();
        }
    }

    /** The drain is over: STOPPED. */
    void drained() {
        lock.lock();
        try {
            phase = Phase.STOPPED;
        } finally {
            lock.unlock();
        }
    }

    private Optional<String> takeDeferredStop() {
        String trigger = deferredStop;
        deferredStop = null;
        return Optional.ofNullable(trigger);
    }
}
