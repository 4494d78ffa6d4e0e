package dev.baton.supervisor;

import dev.baton.ListenAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a supervisor runs and how: a validated record with named defaults.
 *
 * @param name the service name; its control socket is {@code <control dir>/<name>.sock}
 * @param listeners the listeners to bind, by name, in the order the workers get them (fd 3, 4, ...);
 *     a name the supervisor's own {@code LISTEN_FDNAMES} carries is taken from there instead
 * @param command the worker's command and arguments, run again at every reload
 * @param readiness how a worker tells it is ready
 * @param readyTimeout how long a new worker may take to be ready before it is stopped
 * @param drainTimeout how long an old worker may drain after SIGTERM before SIGKILL
 * @param maxDraining how many old workers may drain at once; the oldest is killed past it
 * @param pidFile where to keep the supervisor's pid, or null
 * @param controlDirectory the control directory, or null for the default ({@code $BATON_CONTROL_DIR},
 *     {@code $XDG_RUNTIME_DIR/baton}, {@code /tmp/baton-<uid>})
 * @param backlog the listen backlog of sockets the supervisor binds
 */
public record SupervisorOptions(String name, Map<String, ListenAddress> listeners, List<String> command,
        Readiness readiness, Duration readyTimeout, Duration drainTimeout, int maxDraining, Path pidFile,
        Path controlDirectory, int backlog) {

    public static final String DEFAULT_NAME = "baton";
    public static final Readiness DEFAULT_READINESS = new Readiness.Notify();
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_DRAINING = 2;
    public static final int DEFAULT_BACKLOG = 1024;

    private static final Pattern LISTENER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    /**
     * @throws IllegalArgumentException naming the setting and the value that is wrong
     */
    public SupervisorOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        listeners = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(listeners));
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
        if (!readyTimeout.isPositive()) {
            throw new IllegalArgumentException("readyTimeout must be positive, not " + readyTimeout);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative, not " + drainTimeout);
        }
        if (maxDraining < 0) {
            throw new IllegalArgumentException("maxDraining must be 0 or more, not " + maxDraining);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive, not " + backlog);
        }
    }

    /** Options for {@code command} with every default and no listener yet. */
    public static SupervisorOptions of(List<String> command) {
        return new SupervisorOptions(DEFAULT_NAME, Map.of(), command, DEFAULT_READINESS, DEFAULT_READY_TIMEOUT,
                DEFAULT_DRAIN_TIMEOUT, DEFAULT_MAX_DRAINING, null, null, DEFAULT_BACKLOG);
    }

    public SupervisorOptions withName(String newName) {
        return new SupervisorOptions(newName, listeners, command, readiness, readyTimeout, drainTimeout, maxDraining,
                pidFile, controlDirectory, backlog);
    }

    /** These options with one more listener, after the others. */
    public SupervisorOptions withListener(String listenerName, ListenAddress address) {
        if (listeners.containsKey(listenerName)) {
            throw new IllegalArgumentException("listener '" + listenerName + "' is given twice");
        }
        Map<String, ListenAddress> more = new LinkedHashMap<>(listeners);
        more.put(listenerName, Objects.requireNonNull(address, "address"));
        return new SupervisorOptions(name, more, command, readiness, readyTimeout, drainTimeout, maxDraining,
                pidFile, controlDirectory, backlog);
    }

    public SupervisorOptions withReadiness(Readiness newReadiness) {
        return new SupervisorOptions(name, listeners, command, newReadiness, readyTimeout, drainTimeout, maxDraining,
                pidFile, controlDirectory, backlog);
    }

    public SupervisorOptions withReadyTimeout(Duration timeout) {
        return new SupervisorOptions(name, listeners, command, readiness, timeout, drainTimeout, maxDraining,
                pidFile, controlDirectory, backlog);
    }

    public SupervisorOptions withDrainTimeout(Duration timeout) {
        return new SupervisorOptions(name, listeners, command, readiness, readyTimeout, timeout, maxDraining,
                pidFile, controlDirectory, backlog);
    }

    public SupervisorOptions withMaxDraining(int max) {
        return new SupervisorOptions(name, listeners, command, readiness, readyTimeout, drainTimeout, max,
                pidFile, controlDirectory, backlog);
    }

    public SupervisorOptions withPidFile(Path path) {
        return new SupervisorOptions(name, listeners, command, readiness, readyTimeout, drainTimeout, maxDraining,
                path, controlDirectory, backlog);
    }

    public SupervisorOptions withControlDirectory(Path directory) {
        return new SupervisorOptions(name, listeners, command, readiness, readyTimeout, drainTimeout, maxDraining,
                pidFile, directory, backlog);
    }

    /**
     * Reads a duration written as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or a bare number
     * of seconds.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(Objects.requireNonNull(text, "duration").strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text + "': write it as 500ms, 30s, 2m or 1h");
        }
        long value = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(value);
            case "m" -> Duration.ofMinutes(value);
            case "h" -> Duration.ofHours(value);
            default -> Duration.ofSeconds(value);
        };
    }
}
