package dev.baton.internal.protocol;

import dev.baton.ServiceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message of the control protocol, version {@value MessageCodec#VERSION}.
 *
 * <p>Every connection carries one request and its reply, except a successor's, which carries
 * {@link HandoverRequest}, {@link Handover}, {@link ReadyNotice}, {@link ReadyAck} in that order, and an
 * older generation's, which carries one {@link DrainReport} and no reply.
 * Messages are untrusted: {@link MessageCodec} validates every field and every descriptor count.
 */
public sealed interface Message {

    /** How many descriptors travel with this message. */
    default int descriptorCount() {
        return 0;
    }

    /** A successor asks its predecessor for the listeners. */
    record HandoverRequest(long pid) implements Message {}

    /**
     * The predecessor's answer to a {@link HandoverRequest}: the listeners, then the control
     * listener, then the predecessor's standard output and standard error, as descriptors in that order.
     */
    record Handover(String name, int generation, List<ListenerSpec> listeners, List<ProcessInfo> draining)
            implements Message {
        public Handover {
            Objects.requireNonNull(name, "name");
            listeners = List.copyOf(listeners);
            draining = List.copyOf(draining);
        }

        @Override
        public int descriptorCount() {
            return listeners.size() + 3;
        }
    }

    /** The successor is ready to serve; {@code claimed} names the listeners it uses. */
    record ReadyNotice(List<String> claimed) implements Message {
        public ReadyNotice {
            claimed = List.copyOf(claimed);
        }
    }

    /**
     * The predecessor took note: it stops accepting and drains; the successor now serves, and takes over
     * the service's {@code figures} (which count this upgrade).
     */
    record ReadyAck(ServiceStatus.Figures figures) implements Message {
        public ReadyAck {
            Objects.requireNonNull(figures, "figures");
        }

        /** An acknowledgement that hands on no figures. */
        public ReadyAck() {
            this(ServiceStatus.Figures.NONE);
        }
    }

    /**
     * An older generation drained (after a handover): it tells the serving generation, on a connection of
     * its own, and expects no reply.
     *
     * @param generation the generation that drained
     * @param pid its pid
     * @param drainMillis how long the drain took
     * @param hammered how many connections the hammer closed
     */
    record DrainReport(int generation, long pid, long drainMillis, int hammered) implements Message {
        public DrainReport {
            if (drainMillis < 0 || hammered < 0) {
                throw new IllegalArgumentException("a drain report of " + drainMillis + " ms and " + hammered
                        + " hammered connections");
            }
        }
    }

    /** Asks for an upgrade (in-process) or a worker replacement (supervised); answered with {@link ReloadResult}. */
    record ReloadRequest() implements Message {}

    /**
     * How a reload ended.
     *
     * @param succeeded whether a new generation now serves
     * @param servingPid the process that was serving when the reload was asked for
     * @param pid the new generation's pid, or the failed successor's
     * @param generation the new generation's number, or the failed one's
     * @param readyMillis how long the new generation took to be ready, or until it failed
     * @param message one line for a person: what happened and, on failure, why
     * @param output the failed successor's last lines of output (empty on success)
     */
    record ReloadResult(boolean succeeded, long servingPid, long pid, int generation, long readyMillis, String message,
            List<String> output) implements Message {
        public ReloadResult {
            Objects.requireNonNull(message, "message");
            output = List.copyOf(output);
        }
    }

    /** Asks for the service's state; answered with {@link StatusReply}. */
    record StatusRequest() implements Message {}

    /** The service's state, for {@code baton status}: the one status type, {@link ServiceStatus}, as it travels. */
    record StatusReply(ServiceStatus status) implements Message {
        public StatusReply {
            Objects.requireNonNull(status, "status");
        }

        static ServiceStatus.Mode mode(String text) {
            return ServiceStatus.Mode.ofText(text)
                    .orElseThrow(() -> new IllegalArgumentException("unknown service mode '" + text + "'"));
        }

        static ServiceStatus.State state(String text) {
            return ServiceStatus.State.ofText(text)
                    .orElseThrow(() -> new IllegalArgumentException("unknown state '" + text + "'"));
        }
    }

    /** Asks the service to stop: gracefully (drain), or at once if {@code now}. Answered with {@link StopAck}. */
    record StopRequest(boolean now) implements Message {}

    /** The service is stopping. */
    record StopAck(long pid) implements Message {}

    /** The request was refused; {@code reason} says why, for a person. */
    record Refused(String reason) implements Message {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Asks a supervisor to re-execute its own program in place (same pid), carrying its listeners and
     * workers across; answered with {@link UpgradeSupervisorResult}, by the new program image when it
     * succeeds, or with {@link Refused}.
     */
    record UpgradeSupervisorRequest() implements Message {}

    /**
     * How a supervisor's upgrade in place ended.
     *
     * @param succeeded whether the new program image runs and serves
     * @param pid the supervisor's pid (the same before and after)
     * @param workers how many workers were carried across (on failure: how many still run)
     * @param elapsedMillis from the request until the new image served, or until the failure
     * @param message one line for a person: what happened and, on failure, why
     */
    record UpgradeSupervisorResult(boolean succeeded, long pid, int workers, long elapsedMillis, String message)
            implements Message {
        public UpgradeSupervisorResult {
            Objects.requireNonNull(message, "message");
        }
    }

    /** A named listener as the application asked for it. */
    record ListenerSpec(String name, String address) {
        public ListenerSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
        }

        /** {@code name=address}, as a status lists it. */
        public String text() {
            return name + "=" + address;
        }

        /** The listener a status lists as {@code name=address} (a name has no {@code =}). */
        static ListenerSpec ofText(String text) {
            int equals = text.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("a status listener '" + text + "' is not name=address");
            }
            return new ListenerSpec(text.substring(0, equals), text.substring(equals + 1));
        }
    }

    /** A process of the service: a generation or a worker. */
    record ProcessInfo(long pid, int generation, String state, long startedEpochMillis) {
        public ProcessInfo {
            Objects.requireNonNull(state, "state");
        }

        /** This process as a status shows it. */
        public ServiceStatus.ProcessStatus status() {
            return new ServiceStatus.ProcessStatus(pid, generation, StatusReply.state(state),
                    Instant.ofEpochMilli(startedEpochMillis));
        }

        /** The record of a process a status shows. */
        static ProcessInfo of(ServiceStatus.ProcessStatus process) {
            return new ProcessInfo(process.pid(), process.generation(), process.state().toString(),
                    process.started().toEpochMilli());
        }
    }
}
