package dev.baton.supervisor;

import dev.baton.BatonOptions;
import dev.baton.ListenAddress;
import dev.baton.ServiceOptionsBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a supervisor runs and how: a validated record with named defaults. Build one with
 * {@link #builder(List)}; the settings the in-process mode has too ({@link BatonOptions}) carry the same
 * names, defaults and checks here. The supervisor's stop grace and control timeout are its own (10 s
 * each; see the README).
 *
 * <pre>{@code
 * SupervisorOptions options = SupervisorOptions.builder(List.of("java", "-jar", "app.jar"))
 *         .name("shop").listener("http", ListenAddress.parse(":8080")).build();
 * }</pre>
 *
 * @param name the service name; its control socket is {@code <control dir>/<name>.sock}
 * @param listeners the listeners to bind, by name, in the order the workers get them (fd 3, 4, ...);
 *     a name the supervisor's own {@code LISTEN_FDNAMES} carries is taken from there instead
 * @param command the worker's command and arguments, run again at every reload
 * @param readiness how a worker tells it is ready
 * @param readyTimeout how long a new worker may take to be ready before it is stopped (default 60 s)
 * @param drainTimeout how long an old worker may drain after SIGTERM before SIGKILL (default 30 s)
 * @param maxDrainingGenerations how many old workers may drain at once; the oldest is killed past it
 *     (default 2)
 * @param pidFile where to keep the supervisor's pid, or null
 * @param controlDirectory the control directory, or null for the default ({@code $BATON_CONTROL_DIR},
 *     {@code $XDG_RUNTIME_DIR/baton}, {@code /tmp/baton-<uid>})
 * @param backlog the listen backlog of sockets the supervisor binds (default 4096)
 * @param shutdownDelay on a final stop, how long the workers go on serving before their SIGTERM (default 0);
 *     a Baton worker hears of the stop at once (SIGWINCH, which it asks for) and turns "not ready"
 * @param aotCache where to keep the JDK's AOT cache of a Java worker's command line, so that later workers
 *     start from it; null for {@code $BATON_AOT_CACHE}, and off if that is not set either
 */
public record SupervisorOptions(String name, Map<String, ListenAddress> listeners, List<String> command,
        Readiness readiness, Duration readyTimeout, Duration drainTimeout, int maxDrainingGenerations, Path pidFile,
        Path controlDirectory, int backlog, Duration shutdownDelay, Path aotCache) {

    public static final String DEFAULT_NAME = BatonOptions.DEFAULT_NAME;
    public static final Readiness DEFAULT_READINESS = new Readiness.Notify();
    public static final Duration DEFAULT_READY_TIMEOUT = BatonOptions.DEFAULT_READY_TIMEOUT;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = BatonOptions.DEFAULT_DRAIN_TIMEOUT;
    public static final int DEFAULT_MAX_DRAINING_GENERATIONS = BatonOptions.DEFAULT_MAX_DRAINING_GENERATIONS;
    public static final int DEFAULT_BACKLOG = BatonOptions.DEFAULT_BACKLOG;
    public static final Duration DEFAULT_SHUTDOWN_DELAY = BatonOptions.DEFAULT_SHUTDOWN_DELAY;

    private static final Pattern LISTENER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /**
     * @throws IllegalArgumentException naming the setting and the value that is wrong
     */
    public SupervisorOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(readiness, "readiness");
        listeners = Collections.unmodifiableMap(new LinkedHashMap<>(listeners));
        command = List.copyOf(command);
        for (String listener : listeners.keySet()) {
            if (!LISTENER_NAME.matcher(listener).matches()) {
                throw new IllegalArgumentException("invalid listener name '" + listener
                        + "': use 1 to 64 letters, digits, '.', '_' or '-' (it goes into LISTEN_FDNAMES)");
            }
        }
        if (command.isEmpty() || command.getFirst().isEmpty()) {
            throw new IllegalArgumentException("no worker command: give it after '--', as in "
                    + "'baton run --listen http=:8080 -- java -jar app.jar'");
        }
        // The settings both modes share are checked by the one set of rules, with the same messages.
        BatonOptions.builder().name(name).readyTimeout(readyTimeout).drainTimeout(drainTimeout)
                .maxDrainingGenerations(maxDrainingGenerations).backlog(backlog).shutdownDelay(shutdownDelay).build();
    }

    /** What is allowed but probably wrong, with the numbers: a shutdown delay longer than the stop grace. */
    public List<String> warnings() {
        return BatonOptions.shutdownDelayWarning(shutdownDelay, Retirement.STOP_GRACE, "the supervisor's stop timeout",
                drainTimeout).stream().toList();
    }

    /** A builder for {@code command} that starts from every default and no listener. */
    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    /** Options for {@code command} with every default and no listener yet. */
    public static SupervisorOptions of(List<String> command) {
        return builder(command).build();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public SupervisorOptions withName(String newName) {
        return toBuilder().name(newName).build();
    }

    /** These options with one more listener, after the others. */
    public SupervisorOptions withListener(String listenerName, ListenAddress address) {
        return toBuilder().listener(listenerName, address).build();
    }

    public SupervisorOptions withReadiness(Readiness newReadiness) {
        return toBuilder().readiness(newReadiness).build();
    }

    public SupervisorOptions withReadyTimeout(Duration timeout) {
        return toBuilder().readyTimeout(timeout).build();
    }

    public SupervisorOptions withDrainTimeout(Duration timeout) {
        return toBuilder().drainTimeout(timeout).build();
    }

    public SupervisorOptions withMaxDrainingGenerations(int max) {
        return toBuilder().maxDrainingGenerations(max).build();
    }

    public SupervisorOptions withPidFile(Path path) {
        return toBuilder().pidFile(path).build();
    }

    public SupervisorOptions withControlDirectory(Path directory) {
        return toBuilder().controlDirectory(directory).build();
    }

    public SupervisorOptions withShutdownDelay(Duration delay) {
        return toBuilder().shutdownDelay(delay).build();
    }

    /**
     * Reads a duration as every Baton setting writes it ({@code 500ms}, {@code 30s}, {@code 2m},
     * {@code 1h}); see {@link BatonOptions#parseDuration}.
     *
     * @throws IllegalArgumentException naming the text and showing the form
     */
    public static Duration parseDuration(String text) {
        return BatonOptions.parseDuration(text);
    }

    /** Collects settings for {@link SupervisorOptions}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder extends ServiceOptionsBuilder<Builder> {
        private final Map<String, ListenAddress> listeners = new LinkedHashMap<>();
        private final List<String> command;
        private Readiness readiness = DEFAULT_READINESS;

        private Builder(List<String> command) {
            this.command = new ArrayList<>(Objects.requireNonNull(command, "command"));
        }

        private Builder(SupervisorOptions from) {
            this(from.command);
            name = from.name;
            listeners.putAll(from.listeners);
            readiness = from.readiness;
            readyTimeout = from.readyTimeout;
            drainTimeout = from.drainTimeout;
            maxDrainingGenerations = from.maxDrainingGenerations;
            pidFile = from.pidFile;
            controlDirectory = from.controlDirectory;
            backlog = from.backlog;
            shutdownDelay = from.shutdownDelay;
            aotCache = from.aotCache;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Adds a listener after the others.
         *
         * @throws IllegalArgumentException if a listener of that name was added already
         */
        public Builder listener(String listenerName, ListenAddress address) {
            if (listeners.containsKey(listenerName)) {
                throw new IllegalArgumentException("listener '" + listenerName + "' is given twice ("
                        + listenerName + "=" + listeners.get(listenerName) + " and " + listenerName + "=" + address
                        + "): give each listener a name of its own, such as " + listenerName + "=" + listeners.get(
                        listenerName) + " and " + listenerName + "2=" + address + " (the worker finds them by name in "
                        + "LISTEN_FDNAMES, in order from fd 3)");
            }
            listeners.put(listenerName, Objects.requireNonNull(address, "address"));
            return this;
        }

        public Builder readiness(Readiness value) {
            readiness = value;
            return this;
        }

        /**
         * The options, checked.
         *
         * @throws IllegalArgumentException naming the setting and the value that is wrong
         */
        public SupervisorOptions build() {
            return new SupervisorOptions(name, listeners, command, readiness, readyTimeout, drainTimeout,
                    maxDrainingGenerations, pidFile, controlDirectory, backlog, shutdownDelay, aotCache);
        }
    }
}
