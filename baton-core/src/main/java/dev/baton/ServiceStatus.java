package dev.baton;

import java.time.Duration;
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
 * @param figures the service's upgrade and drain figures
 */
public record ServiceStatus(long pid, String name, Mode mode, State state, List<String> listeners,
        List<ProcessStatus> processes, String lastReload, Figures figures) {

    public ServiceStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastReload, "lastReload");
        Objects.requireNonNull(figures, "figures");
        listeners = List.copyOf(listeners);
        processes = List.copyOf(processes);
    }

    /** A status without figures ({@link Figures#NONE}). */
    public ServiceStatus(long pid, String name, Mode mode, State state, List<String> listeners,
            List<ProcessStatus> processes, String lastReload) {
        this(pid, name, mode, state, listeners, processes, lastReload, Figures.NONE);
    }

    /** This status with {@code figures}. */
    public ServiceStatus withFigures(Figures figures) {
        return new ServiceStatus(pid, name, mode, state, listeners, processes, lastReload, figures);
    }

    /**
     * The service's numbers about its upgrades and drains, kept across generations: an in-process
     * successor takes them over from its predecessor, and an older generation reports its drain to the
     * serving one when it ends. A supervisor keeps its own (it sees no drained connection: a supervised
     * service's {@code lastDrain} is the time from SIGTERM until the old worker exited, and its
     * {@code hammered} stays 0).
     *
     * @param upgradesSucceeded upgrades (reloads) whose new generation serves
     * @param upgradesFailed upgrades whose new generation failed, the old one serving on
     * @param upgradesRefused upgrades refused: another was under way, or the service was not serving
     * @param lastTimeToReady how long the last successful upgrade took until its new generation was ready
     * @param lastDrain how long the last drain of an older generation took, until it had drained
     * @param hammered connections the drain timeout's hammer closed, over all drains reported
     * @param generationsDraining older generations (workers) still draining now
     */
    public record Figures(long upgradesSucceeded, long upgradesFailed, long upgradesRefused,
            Optional<Duration> lastTimeToReady, Optional<Duration> lastDrain, long hammered,
            int generationsDraining) {

        /** No upgrade, no drain. */
        public static final Figures NONE = new Figures(0, 0, 0, Optional.empty(), Optional.empty(), 0, 0);

        public Figures {
            Objects.requireNonNull(lastTimeToReady, "lastTimeToReady");
            Objects.requireNonNull(lastDrain, "lastDrain");
            if (upgradesSucceeded < 0 || upgradesFailed < 0 || upgradesRefused < 0 || hammered < 0
                    || generationsDraining < 0) {
                throw new IllegalArgumentException("a figure of a status is negative: " + upgradesSucceeded + ", "
                        + upgradesFailed + ", " + upgradesRefused + ", " + hammered + ", " + generationsDraining);
            }
            lastTimeToReady.filter(Duration::isNegative).ifPresent(d -> {
                throw new IllegalArgumentException("a negative time to ready: " + d);
            });
            lastDrain.filter(Duration::isNegative).ifPresent(d -> {
                throw new IllegalArgumentException("a negative drain duration: " + d);
            });
        }

        /** These figures with the upgrade that ended as {@code result} counted. */
        public Figures counting(UpgradeResult result) {
            return switch (result.outcome()) {
                case SUCCEEDED -> new Figures(upgradesSucceeded + 1, upgradesFailed, upgradesRefused,
                        Optional.of(result.elapsed()), lastDrain, hammered, generationsDraining);
                case FAILED -> new Figures(upgradesSucceeded, upgradesFailed + 1, upgradesRefused, lastTimeToReady,
                        lastDrain, hammered, generationsDraining);
                case REFUSED -> new Figures(upgradesSucceeded, upgradesFailed, upgradesRefused + 1, lastTimeToReady,
                        lastDrain, hammered, generationsDraining);
            };
        }

        /** These figures with a drain of {@code took} that hammered {@code connections} counted. */
        public Figures countingDrain(Duration took, long connections) {
            return new Figures(upgradesSucceeded, upgradesFailed, upgradesRefused, lastTimeToReady,
                    Optional.of(took), hammered + connections, generationsDraining);
        }

        /** These figures with {@code draining} generations draining now. */
        public Figures withGenerationsDraining(int draining) {
            return new Figures(upgradesSucceeded, upgradesFailed, upgradesRefused, lastTimeToReady, lastDrain,
                    hammered, draining);
        }
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
