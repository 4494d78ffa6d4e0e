package dev.baton;

import dev.baton.internal.control.ControlSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a Baton service behaves: its name, files and timeouts. Build one with {@link #builder()}, or take
 * {@link #defaults()} and change one setting with a {@code with...} method; every value is checked, and
 * an invalid one is refused with a message that names the setting and the value:
 *
 * <pre>{@code
 * BatonOptions options = BatonOptions.builder().name("shop").pidFile(Path.of("/run/shop.pid")).build();
 * }</pre>
 *
 * <p>The supervised mode ({@code baton run}) has the same settings under the same names and defaults.
 *
 * @param name the service's name: its control socket is {@code <controlDirectory>/<name>.sock}, and
 *     {@code baton reload --name <name>} finds it (default {@value #DEFAULT_NAME})
 * @param controlDirectory where the control socket lives, or {@code null} for the default:
 *     {@code $BATON_CONTROL_DIR}, else {@code $XDG_RUNTIME_DIR/baton}, else {@code /tmp/baton-<uid>}
 * @param pidFile a file that always holds the serving generation's pid, or {@code null} for none
 * @param readyTimeout how long a successor may take to call {@link Baton#ready()} before it is stopped
 *     and this generation goes on serving (default 60 s)
 * @param drainTimeout how long a generation that stops serving may take to finish what it has in
 *     flight before its remaining connections are closed (default 30 s)
 * @param stopTimeout how long a failed successor has to exit after SIGTERM before SIGKILL (default 10 s)
 * @param maxDrainingGenerations how many old generations may drain at once; past that the oldest is
 *     hammered (default 2)
 * @param backlog the accept queue length of listeners Baton binds (default 4096; the kernel caps it
 *     at {@code net.core.somaxconn})
 * @param controlTimeout the longest wait for a control message from a peer (default 5 s)
 * @param aotCache a directory where Baton keeps the JDK's AOT cache of this service's command line and
 *     starts every successor with it (it records the cache as generations run), or {@code null} for
 *     {@code $BATON_AOT_CACHE}, and none if that is unset too (default null)
 * @param shutdownDelay on a final stop (SIGTERM, {@code baton stop}, {@link Baton#stop()}), how long the
 *     service goes on accepting and serving after its readiness turned "not ready", before it drains: the
 *     time a load balancer or kube-proxy needs to stop sending it connections (default 0: drain at once).
 *     An upgrade never waits for it, and a second stop signal cuts it short
 * @param probation how long an old generation keeps its copy of the listeners, not accepting, after its
 *     successor is ready: if the successor dies within it, the old generation accepts again and the upgrade
 *     is reported as failed; {@code baton reload} answers once it has passed. Zero turns it off (the old
 *     generation drains at once); servers that cannot pause accepting drain at once too (default 1 s)
 */
public record BatonOptions(
        String name,
        Path controlDirectory,
        Path pidFile,
        Duration readyTimeout,
        Duration drainTimeout,
        Duration stopTimeout,
        int maxDrainingGenerations,
        int backlog,
        Duration controlTimeout,
        Path aotCache,
        Duration shutdownDelay,
        Duration probation) {

    public static final String DEFAULT_NAME = "baton";
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_DRAINING_GENERATIONS = 2;
    public static final int DEFAULT_BACKLOG = 4096;
    public static final Duration DEFAULT_CONTROL_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SHUTDOWN_DELAY = Duration.ZERO;
    public static final Duration DEFAULT_PROBATION = Duration.ofSeconds(1);
    /** The longest probation: past a minute the old generation would rather drain. */
    public static final Duration MAX_PROBATION = Duration.ofMinutes(1);

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the setting and the value, if one is out of range
     */
    public BatonOptions {
        Objects.requireNonNull(name, "name");
        ControlSocket.checkName(name);
        positive("readyTimeout", readyTimeout);
        positive("drainTimeout", drainTimeout);
        positive("stopTimeout", stopTimeout);
        positive("controlTimeout", controlTimeout);
        atLeastOne("maxDrainingGenerations", maxDrainingGenerations);
        atLeastOne("backlog", backlog);
        notNegative("shutdownDelay", shutdownDelay);
        probation(probation);
    }

    /**
     * What is allowed but probably wrong, one sentence each with the numbers: a shutdown delay longer than
     * the stop timeout, which a process manager with the same stop timeout would cut with SIGKILL.
     * {@link Baton#open} logs each as a warning.
     */
    public List<String> warnings() {
        return shutdownDelayWarning(shutdownDelay, stopTimeout, "stopTimeout", drainTimeout).stream().toList();
    }

    /**
     * The warning for a shutdown delay longer than a stop timeout, if it is: shared with the supervised mode.
     *
     * @param stopSetting the stop timeout's name, for the message
     */
    public static Optional<String> shutdownDelayWarning(Duration shutdownDelay, Duration stopTimeout,
            String stopSetting, Duration drainTimeout) {
        if (shutdownDelay.compareTo(stopTimeout) <= 0) {
            return Optional.empty();
        }
        return Optional.of("shutdownDelay " + formatDuration(shutdownDelay) + " is longer than " + stopSetting + " "
                + formatDuration(stopTimeout) + ": a process manager that kills after the same stop timeout (systemd's "
                + "TimeoutStopSec, Kubernetes' terminationGracePeriodSeconds) cuts the delay with SIGKILL; give it "
                + "more than shutdownDelay + drainTimeout (" + formatDuration(shutdownDelay.plus(drainTimeout))
                + "), or shorten the delay");
    }

    /**
     * A duration as the settings write it, {@code 500ms} or {@code 30s}: the inverse of {@link #parseDuration}
     * for every duration it accepts, for messages that name a setting's value.
     */
    public static String formatDuration(Duration value) {
        return value.toMillis() % 1000 == 0 ? value.toSeconds() + "s" : value.toMillis() + "ms";
    }

    /** The defaults: name {@value #DEFAULT_NAME}, no pidfile, and the timeouts above. */
    public static BatonOptions defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public BatonOptions withName(String value) {
        return toBuilder().name(value).build();
    }

    public BatonOptions withControlDirectory(Path value) {
        return toBuilder().controlDirectory(value).build();
    }

    public BatonOptions withPidFile(Path value) {
        return toBuilder().pidFile(value).build();
    }

    public BatonOptions withReadyTimeout(Duration value) {
        return toBuilder().readyTimeout(value).build();
    }

    public BatonOptions withDrainTimeout(Duration value) {
        return toBuilder().drainTimeout(value).build();
    }

    public BatonOptions withStopTimeout(Duration value) {
        return toBuilder().stopTimeout(value).build();
    }

    public BatonOptions withMaxDrainingGenerations(int value) {
        return toBuilder().maxDrainingGenerations(value).build();
    }

    public BatonOptions withBacklog(int value) {
        return toBuilder().backlog(value).build();
    }

    public BatonOptions withControlTimeout(Duration value) {
        return toBuilder().controlTimeout(value).build();
    }

    public BatonOptions withAotCache(Path value) {
        return toBuilder().aotCache(value).build();
    }

    public BatonOptions withShutdownDelay(Duration value) {
        return toBuilder().shutdownDelay(value).build();
    }

    public BatonOptions withProbation(Duration value) {
        return toBuilder().probation(value).build();
    }

    /** The pidfile, if one is set. */
    public Optional<Path> pidFileIfSet() {
        return Optional.ofNullable(pidFile);
    }

    /**
     * Reads a duration as every Baton setting writes it: a whole number and a unit, {@code 500ms},
     * {@code 30s}, {@code 2m} or {@code 1h}. A bare number is refused: {@code 30} could mean seconds or
     * milliseconds.
     *
     * @throws IllegalArgumentException naming the text and showing the form
     */
    public static Duration parseDuration(String text) {
        Objects.requireNonNull(text, "duration");
        Matcher matcher = DURATION.matcher(text.strip());
        if (!matcher.matches()) {
            String hint = text.strip().matches("\\d+") ? " (a bare number has no unit)"
                    : text.strip().startsWith("-") ? " (a duration cannot be negative)" : "";
            throw new IllegalArgumentException("invalid duration '" + text + "'" + hint
                    + ": write a whole number and a unit, as in 500ms, 30s, 2m or 1h");
        }
        long value = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(value);
            case "m" -> Duration.ofMinutes(value);
            case "h" -> Duration.ofHours(value);
            default -> Duration.ofSeconds(value);
        };
    }

    static void positive(String setting, Duration value) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, not " + value);
        }
    }

    static void notNegative(String setting, Duration value) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative()) {
            throw new IllegalArgumentException(setting + " must be zero or more, not " + value
                    + ": it is how long a final stop keeps serving before it drains");
        }
    }

    private static void probation(Duration value) {
        Objects.requireNonNull(value, "probation");
        if (value.isNegative() || value.compareTo(MAX_PROBATION) > 0) {
            throw new IllegalArgumentException("probation must be between 0 (off) and " + MAX_PROBATION.toSeconds()
                    + "s, not " + value + "; it is how long the old generation waits, not accepting, to see its "
                    + "successor live before it drains");
        }
    }

    static void atLeastOne(String setting, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, not " + value);
        }
    }

    /** Collects settings for {@link BatonOptions}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder extends ServiceOptionsBuilder<Builder> {
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private Duration controlTimeout = DEFAULT_CONTROL_TIMEOUT;
        private Duration probation = DEFAULT_PROBATION;

        private Builder() {}

        private Builder(BatonOptions from) {
            name = from.name;
            controlDirectory = from.controlDirectory;
            pidFile = from.pidFile;
            readyTimeout = from.readyTimeout;
            drainTimeout = from.drainTimeout;
            stopTimeout = from.stopTimeout;
            maxDrainingGenerations = from.maxDrainingGenerations;
            backlog = from.backlog;
            controlTimeout = from.controlTimeout;
            aotCache = from.aotCache;
            shutdownDelay = from.shutdownDelay;
            probation = from.probation;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder stopTimeout(Duration value) {
            stopTimeout = value;
            return this;
        }

        public Builder controlTimeout(Duration value) {
            controlTimeout = value;
            return this;
        }

        public Builder probation(Duration value) {
            probation = value;
            return this;
        }

        /**
         * The options, checked.
         *
         * @throws IllegalArgumentException naming the setting and the value, if one is out of range
         * @throws NullPointerException naming the setting, if a required one is null
         */
        public BatonOptions build() {
            return new BatonOptions(name, controlDirectory, pidFile, readyTimeout, drainTimeout, stopTimeout,
                    maxDrainingGenerations, backlog, controlTimeout, aotCache, shutdownDelay, probation);
        }
    }
}
