package dev.baton;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a listener accepts connections: a TCP address (IPv4, IPv6, a host name or every address)
 * or a Unix stream socket path.
 *
 * <p>Written forms, as {@link #parse} reads and {@link #toString} writes them: {@code :8080} (every
 * address, IPv6 and IPv4), {@code 0.0.0.0:8080}, {@code 127.0.0.1:8080}, {@code [::1]:8080},
 * {@code localhost:8080}, {@code unix:/run/app/http.sock}. Port 0 asks the kernel for a free port.
 */
public sealed interface ListenAddress {

    /**
     * A TCP address.
     *
     * @param host an IP literal (IPv6 without brackets) or host name, or empty for every address
     * @param port 0 to 65535
     */
    record Tcp(String host, int port) implements ListenAddress {

        public Tcp {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0-65535");
            }
        }

        /** Whether this is the wildcard address (every local address). */
        public boolean isWildcard() {
            return host.isEmpty();
        }

        @Override
        public String toString() {
            if (host.isEmpty()) {
                return ":" + port;
            }
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A Unix stream socket.
     *
     * @param path where the socket file is created
     */
    record Unix(Path path) implements ListenAddress {

        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * Reads a listen address in one of the forms above.
     *
     * @throws IllegalArgumentException if {@code text} is none of them, with a message that names it
     */
    static ListenAddress parse(String text) {
        Objects.requireNonNull(text, "listen address");
        String trimmed = text.strip();
        if (trimmed.startsWith("unix:")) {
            String path = trimmed.substring("unix:".length());
            if (path.isEmpty()) {
                throw invalid(text, "the Unix socket path is empty");
            }
            return new Unix(Path.of(path));
        }
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(text, "expected HOST:PORT, :PORT or unix:PATH");
        }
        String host = trimmed.substring(0, colon);
        String port = trimmed.substring(colon + 1);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw invalid(text, "an IPv6 address must be written in brackets, as [::1]:8080");
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw invalid(text, "an IPv6 address must be written in brackets, as [::1]:8080");
        }
        if (host.equals("*")) {
            host = "";
        }
        return new Tcp(host, parsePort(text, port));
    }

    private static int parsePort(String text, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(text, "the port '" + port + "' is not a number from 0 to 65535");
        }
        int value = Integer.parseInt(port);
        if (value > 65535) {
            throw invalid(text, "the port " + value + " is above 65535");
        }
        return value;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid listen address '" + text + "': " + why);
    }
}
