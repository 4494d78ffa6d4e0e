package dev.baton.load;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The settings of one load run: where to send requests, how many workers, for how long, and how
 * long to wait for each answer.
 *
 * <p>A run ends when {@code duration} has passed or {@code maxRequests} requests have been started,
 * whichever comes first; the requests in flight at that moment are completed (each within its
 * timeouts) and counted. Start from {@link #of(InetSocketAddress)} and change what differs with the
 * {@code with...} methods.
 *
 * @param target the server to load; always explicit, there is no default host
 * @param path the request target of every {@code GET}, starting with {@code /}
 * @param connections the number of workers, each with its own connection, 1 to {@value #MAX_CONNECTIONS}
 * @param duration how long workers start new requests; positive
 * @param mode whether a worker keeps its connection alive or opens one per request
 * @param requestTimeout the longest wait from the first byte of a request written to its response
 *     complete; positive, at least a millisecond
 * @param connectTimeout the longest wait for a connection to be established; positive, at least a
 *     millisecond
 * @param maxRequests the most requests the whole run starts, or {@link #NO_REQUEST_LIMIT}
 */
public record LoadOptions(
        InetSocketAddress target,
        String path,
        int connections,
        Duration duration,
        ConnectionMode mode,
        Duration requestTimeout,
        Duration connectTimeout,
        long maxRequests) {

    /** The default request path: {@code /}. */
    public static final String DEFAULT_PATH = "/";

    /** The default number of workers and connections: 32. */
    public static final int DEFAULT_CONNECTIONS = 32;

    /** The largest number of workers and connections a run accepts. */
    public static final int MAX_CONNECTIONS = 10_000;

    /** The default duration of a run: 20 seconds. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(20);

    /** The default connection mode: keep-alive. */
    public static final ConnectionMode DEFAULT_MODE = ConnectionMode.KEEP_ALIVE;

    /** The default request timeout: 5 seconds. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** The default connect timeout: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** The {@code maxRequests} that means no limit: the run is bounded by its duration alone. */
    public static final long NO_REQUEST_LIMIT = Long.MAX_VALUE;

    /**
     * Checks every setting.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a setting is out of range; the message names the setting
     *     and the value
     */
    public LoadOptions {
        requireNonNull(target, "target");
        requireNonNull(path, "path");
        requireNonNull(duration, "duration");
        requireNonNull(mode, "mode");
        requireNonNull(requestTimeout, "requestTimeout");
        requireNonNull(connectTimeout, "connectTimeout");
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("target must be a resolved address, was unresolved " + target);
        }
        if (target.getPort() == 0) {
            throw new IllegalArgumentException("target port must be 1-65535, was 0 in " + target);
        }
        if (!validPath(path)) {
            throw new IllegalArgumentException(
                    "path must start with '/' and contain only visible ASCII characters, was '" + path + "'");
        }
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException(
                    "connections must be between 1 and " + MAX_CONNECTIONS + ", was " + connections);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
        requireMillisecond(requestTimeout, "requestTimeout");
        requireMillisecond(connectTimeout, "connectTimeout");
        if (maxRequests < 1) {
            throw new IllegalArgumentException(
                    "maxRequests must be positive (NO_REQUEST_LIMIT for none), was " + maxRequests);
        }
    }

    /**
     * Creates options with the given core settings, a {@link #DEFAULT_CONNECT_TIMEOUT} and no
     * request limit.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a setting is out of range, as for the canonical constructor
     */
    public LoadOptions(
            InetSocketAddress target,
            String path,
            int connections,
            Duration duration,
            ConnectionMode mode,
            Duration requestTimeout) {
        this(target, path, connections, duration, mode, requestTimeout, DEFAULT_CONNECT_TIMEOUT, NO_REQUEST_LIMIT);
    }

    /**
     * Returns the default options against {@code target}: path {@code /}, 32 keep-alive connections
     * for 20 seconds, 5-second request and connect timeouts, no request limit.
     *
     * @throws NullPointerException if {@code target} is null
     * @throws IllegalArgumentException if {@code target} is unresolved or has port 0
     */
    public static LoadOptions of(InetSocketAddress target) {
        return new LoadOptions(target, DEFAULT_PATH, DEFAULT_CONNECTIONS, DEFAULT_DURATION, DEFAULT_MODE,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, NO_REQUEST_LIMIT);
    }

    /** Returns these options with another request path. */
    public LoadOptions withPath(String newPath) {
        return new LoadOptions(target, newPath, connections, duration, mode, requestTimeout, connectTimeout, maxRequests);
    }

    /** Returns these options with another number of workers and connections. */
    public LoadOptions withConnections(int newConnections) {
        return new LoadOptions(target, path, newConnections, duration, mode, requestTimeout, connectTimeout, maxRequests);
    }

    /** Returns these options with another duration. */
    public LoadOptions withDuration(Duration newDuration) {
        return new LoadOptions(target, path, connections, newDuration, mode, requestTimeout, connectTimeout, maxRequests);
    }

    /** Returns these options with another connection mode. */
    public LoadOptions withMode(ConnectionMode newMode) {
        return new LoadOptions(target, path, connections, duration, newMode, requestTimeout, connectTimeout, maxRequests);
    }

    /** Returns these options with another request timeout. */
    public LoadOptions withRequestTimeout(Duration newTimeout) {
        return new LoadOptions(target, path, connections, duration, mode, newTimeout, connectTimeout, maxRequests);
    }

    /** Returns these options with another connect timeout. */
    public LoadOptions withConnectTimeout(Duration newTimeout) {
        return new LoadOptions(target, path, connections, duration, mode, requestTimeout, newTimeout, maxRequests);
    }

    /** Returns these options with another limit on the number of requests started. */
    public LoadOptions withMaxRequests(long newMaxRequests) {
        return new LoadOptions(target, path, connections, duration, mode, requestTimeout, connectTimeout, newMaxRequests);
    }

    private static void requireNonNull(Object value, String setting) {
        if (value == null) {
            throw new NullPointerException(setting + " must not be null");
        }
    }

    private static void requireMillisecond(Duration value, String setting) {
        if (value.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(setting + " must be at least 1 ms, was " + value);
        }
    }

    private static boolean validPath(String path) {
        if (!path.startsWith("/")) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
