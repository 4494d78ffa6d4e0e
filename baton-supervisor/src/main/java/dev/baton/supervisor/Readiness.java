package dev.baton.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * How the supervisor learns that a new worker is ready to serve, so the old one may stop.
 *
 * <p>Written forms, as {@link #parse} reads them: {@code notify} (the sd_notify protocol: the worker
 * gets {@code NOTIFY_SOCKET} and sends {@code READY=1}, as systemd-aware servers and Baton's own Java
 * workers do), {@code tcp:PORT} (a connection to 127.0.0.1:PORT, a port of the worker's own, succeeds),
 * {@code delay=2s} (a fixed time after the start).
 */
public sealed interface Readiness {

    /** Ready when the worker sends {@code READY=1} to {@code $NOTIFY_SOCKET}. */
    record Notify() implements Readiness {
        @Override
        public String toString() {
            return "notify";
        }
    }

    /** Ready when a TCP connection to 127.0.0.1:{@code port} succeeds. */
    record Tcp(int port) implements Readiness {
        public Tcp {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("readiness port " + port + " is outside 1-65535");
            }
        }

        @Override
        public String toString() {
            return "tcp:" + port;
        }
    }

    /** Ready a fixed time after the worker started. */
    record Delay(Duration delay) implements Readiness {
        public Delay {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("readiness delay " + delay + " is negative");
            }
        }

        @Override
        public String toString() {
            return "delay=" + delay.toMillis() + "ms";
        }
    }

    /**
     * Reads {@code notify}, {@code tcp:PORT} or {@code delay=DURATION}.
     *
     * @throws IllegalArgumentException naming the text and the forms accepted
     */
    static Readiness parse(String text) {
        String value = Objects.requireNonNull(text, "readiness").strip();
        try {
            if (value.equals("notify")) {
                return new Notify();
            }
            if (value.startsWith("tcp:")) {
                String port = value.substring(4);
                if (!port.matches("\\d{1,5}")) {
                    throw new IllegalArgumentException("the port '" + port + "' is not a number; write tcp:PORT, "
                            + "as in tcp:8081 (a port of the worker's own)");
                }
                return new Tcp(Integer.parseInt(port));
            }
            if (value.startsWith("delay=")) {
                return new Delay(SupervisorOptions.parseDuration(value.substring(6)));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid readiness '" + text + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("invalid readiness '" + text
                + "': expected notify, tcp:PORT (the worker's own port) or delay=DURATION (such as delay=2s)");
    }
}
