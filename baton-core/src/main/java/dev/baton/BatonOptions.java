package dev.baton;

import dev.baton.internal.control.ControlSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a Baton service behaves: its name, files and timeouts. Start from {@link #defaults()} and
 * change what you need with the {@code with...} methods; every value is checked when set, and an
 * invalid one is refused with a message that names the setting and the value.
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
        Duration controlTimeout) {

    public static final String DEFAULT_NAME = "baton";
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_DRAINING_GENERATIONS = 2;
    public static final int DEFAULT_BACKLOG = 4096;
    public static final Duration DEFAULT_CONTROL_TIMEOUT = Duration.ofSeconds(5);

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
        if (maxDrainingGenerations < 1) {
            throw new IllegalArgumentException(
                    "maxDrainingGenerations must be at least 1, not " + maxDrainingGenerations);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, not " + backlog);
        }
    }

    /** The defaults: name {@value #DEFAULT_NAME}, no pidfile, and the timeouts above. */
    public static BatonOptions defaults() {
        return new BatonOptions(DEFAULT_NAME, null, null, DEFAULT_READY_TIMEOUT, DEFAULT_DRAIN_TIMEOUT,
                DEFAULT_STOP_TIMEOUT, DEFAULT_MAX_DRAINING_GENERATIONS, DEFAULT_BACKLOG, DEFAULT_CONTROL_TIMEOUT);
    }

    public BatonOptions withName(String value) {
        return new BatonOptions(value, controlDirectory, pidFile, readyTimeout, drainTimeout, stopTimeout,
                maxDrainingGenerations, backlog, controlTimeout);
    }

    public BatonOptions withControlDirectory(Path value) {
        return new BatonOptions(name, value, pidFile, readyTimeout, drainTimeout, stopTimeout,
                maxDrainingGenerations, backlog, controlTimeout);
    }

    public BatonOptions withPidFile(Path value) {
        return new BatonOptions(name, controlDirectory, value, readyTimeout, drainTimeout, stopTimeout,
                maxDrainingGenerations, backlog, controlTimeout);
    }

    public BatonOptions withReadyTimeout(Duration value) {
        return new BatonOptions(name, controlDirectory, pidFile, value, drainTimeout, stopTimeout,
                maxDrainingGenerations, backlog, controlTimeout);
    }

    public BatonOptions withDrainTimeout(Duration value) {
        return new BatonOptions(name, controlDirectory, pidFile, readyTimeout, value, stopTimeout,
                maxDrainingGenerations, backlog, controlTimeout);
    }

    public BatonOptions withStopTimeout(Duration value) {
        return new BatonOptions(name, controlDirectory, pidFile, readyTimeout, drainTimeout, value,
                maxDrainingGenerations, backlog, controlTimeout);
    }

    public BatonOptions withMaxDrainingGenerations(int value) {
        return new BatonOptions(name, controlDirectory, pidFile, readyTimeout, drainTimeout, stopTimeout, value,
                backlog, controlTimeout);
    }

    public BatonOptions withBacklog(int value) {
        return new BatonOptions(name, controlDirectory, pidFile, readyTimeout, drainTimeout, stopTimeout,
                maxDrainingGenerations, value, controlTimeout);
    }

    public BatonOptions withControlTimeout(Duration value) {
        return new BatonOptions(name, controlDirectory, pidFile, readyTimeout, drainTimeout, stopTimeout,
                maxDrainingGenerations, backlog, value);
    }

    /** The pidfile, if one is set. */
    public Optional<Path> pidFileIfSet() {
        return Optional.ofNullable(pidFile);
    }

    private static void positive(String setting, Duration value) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, not " + value);
        }
    }
}
