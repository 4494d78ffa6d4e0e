package dev.baton.internal.control;

import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import dev.baton.internal.protocol.Message;
import java.time.Duration;

/**
 * What a running Baton service answers on its control socket and to its signals, in either mode: the
 * in-process generation and the supervisor each implement it, and {@link ControlDispatcher} and
 * {@link dev.baton.internal.service.ServiceSignals} call it.
 *
 * <p>Every method may be called from several threads at once; each implementation states its own rule.
 * {@code trigger} names who asked, for the log: {@code "SIGHUP"}, {@code "baton reload (pid 4712)"}.
 */
public interface ControlledService {

    /** The pid that answers: the serving generation, or the supervisor. */
    long pid();

    /** Upgrades (in-process) or replaces the worker (supervised) and waits for the outcome; never throws for a failed one. */
    UpgradeResult reload(String trigger);

    /** The service's state now. */
    ServiceStatus status();

    /** Stops gracefully (drains), or at once if {@code now}; returns without waiting for the stop. */
    void stop(boolean now, String trigger);

    /**
     * An older generation of this service reports that it drained in {@code took}, the hammer closing
     * {@code hammered} connections; the supervisor has no older generations that report, and ignores it.
     */
    default void drainReported(int generation, Duration took, int hammered) {}

    /** Whether this service can re-execute itself in place ({@link #upgradeSupervisor}): the supervisor only. */
    default boolean upgradesInPlace() {
        return false;
    }

    /**
     * Re-executes the supervisor in place; the reply goes on {@code channel} (null for a signal), by the
     * new program image when it succeeds. A service that is not a supervisor refuses.
     *
     * @return the reply to send, when this process is still the one to send it
     */
    default Message upgradeSupervisor(String trigger, ControlChannel channel) {
        return new Message.Refused(Refusals.notASupervisor());
    }
}
