package dev.baton;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a running Baton service reports about itself, for {@code baton status}: the one status type of
 * both modes, also what the control protocol carries.
 *
 * @param pid the pid that answered: the serving generation, or the supervisor
 * @param name the service's name
 * @param mode in-process or supervised
 * @param state the answering process's state, such as {@link State#SERVING}
 * @param listeners each listener as {@code name=address}
 * @param processes the serving generation and those still draining (in-process), or the workers (supervised)
 * @param lastReload how the last reload ended, or {@code none}
 */
public record ServiceStatus(long pid, String name, Mode mode, State state, List<String> listeners,
        List<ProcessStatus> processes, String lastReload) {

    public ServiceStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastReload, "lastReload");
        listeners = List.copyOf(listeners);
        processes = List.copyOf(processes);
    }

    /** How the service runs. Its {@link #toString()} is the word {@code baton status} prints. */
    public enum Mode {
        /** The application uses the library; each generation starts its successor. */
        IN_PROCESS("in-process"),
        /** {@code baton run} keeps a stable pid and starts workers. */
        SUPERVISED("supervised");

        private final String text;

        Mode(String text) {
            this.text = text;
        }

        /** The mode named {@code text} ({@code in-process}, {@code supervised}), if there is one. */
        public static Optional<Mode> ofText(String text) {
            for (Mode mode : values()) {
                if (mode.text.equals(text)) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The state of a generation, a worker or a supervisor, every word either mode uses. Its
     * {@link #toString()} is the lower-case word {@code baton status} prints.
     */
    public enum State {
        STARTING, SERVING, UPGRADING, RELOADING, RESTARTING, DRAINING, STOPPING, STOPPED, EXITED;

        /** The state named {@code text} in lower case ({@code serving}), if there is one. */
        public static Optional<State> ofText(String text) {
            for (State state : values()) {
                if (state.toString().equals(text)) {
                    return Optional.of(state);
                }
            }
            return Optional.empty();
        }

        /** A generation's state as a status shows it. */
        public static State of(GenerationState state) {
            return valueOf(state.name());
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One process of the service.
     *
     * @param pid its pid
     * @param generation its generation number
     * @param state such as {@link State#SERVING}, {@link State#DRAINING}, {@link State#STARTING}
     * @param started when it started
     */
    public record ProcessStatus(long pid, int generation, State state, Instant started) {
        public ProcessStatus {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(started, "started");
        }
    }
}
