package dev.baton.internal.control;

import dev.baton.internal.os.PeerCredentials;
import java.util.Optional;

/**
 * Whom the control server serves: a peer of the service's own user, or root, while no more than the
 * limit of connections are open; a child of this process (the successor it started, come for its
 * handover) is served past the limit, so that clients filling every slot cannot fail an upgrade. Anyone
 * else is told why, and the refusal is logged.
 */
final class Admission {

    /**
     * Why a connection is not served.
     *
     * @param logLine what the service logs, without its prefix
     * @param reason what the peer is told
     * @param overLimit whether it was refused only for the number of connections open (a client opening them
     *     in a loop meets it at every one: its log line is rate-limited; a foreign uid's is always logged)
     */
    record Refusal(String logLine, String reason, boolean overLimit) {

        /** Logs it: through {@code overLimit} (rate-limited) if it is one, else always. */
        void log(System.Logger log, RateLimitedWarning overLimitWarning, String logPrefix) {
            if (overLimit) {
                overLimitWarning.warn(logPrefix + logLine);
            } else {
                log.log(System.Logger.Level.WARNING, logPrefix + logLine);
            }
        }
    }

    private Admission() {}

    /** The refusal for {@code peer}, if it is refused, with {@code open} connections open counting its own. */
    static Optional<Refusal> check(PeerCredentials peer, int selfUid, int open, int maxConnections) {
        if (peer.uid() != selfUid && peer.uid() != 0) {
            return Optional.of(new Refusal("refused a control connection from pid " + peer.pid() + " uid "
                    + peer.uid() + ": only uid " + selfUid + " or root may control this service",
                    "permission denied: uid " + peer.uid() + " may not control this service, which belongs to uid "
                            + selfUid, false));
        }
        if (open > maxConnections && !isChildOfThisProcess(peer.pid())) {
            return Optional.of(new Refusal("refused a control connection from pid " + peer.pid() + ": "
                    + maxConnections + " are open", Refusals.tooManyConnections(maxConnections), true));
        }
        return Optional.empty();
    }

    /** Whether {@code pid} is this process's child: only this process can have started it, no client can pose as it. */
    static boolean isChildOfThisProcess(long pid) {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L) == self;
    }
}
