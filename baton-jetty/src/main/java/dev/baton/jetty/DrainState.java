package dev.baton.jetty;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.io.EndPoint;

/**
 * What the drain handler and the drainer of one server share: whether the server is draining, and
 * how many requests each connection is handling.
 *
 * <p>Thread-safe: request threads, the drainer and its sweeps use it concurrently, without locks.
 * Connections are keyed by their network end point, the one the connector tracks (a TLS connection's
 * decrypted end point is unwrapped), and a connection leaves the map when its last request ends.
 */
final class DrainState {

    private final ConcurrentMap<EndPoint, Integer> requests = new ConcurrentHashMap<>();
    private volatile long drainStartNanos;
    private volatile boolean draining;

    /** Marks the start of draining; responses committed from now on carry {@code Connection: close}. */
    void startDraining() {
        drainStartNanos = System.nanoTime();
        draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    /** The {@link System#nanoTime()} at which draining started; meaningful once draining. */
    long drainStartNanos() {
        return drainStartNanos;
    }

    void requestStarted(EndPoint connection) {
        requests.merge(connection, 1, Integer::sum);
    }

    void requestEnded(EndPoint connection) {
        requests.computeIfPresent(connection, (c, n) -> n == 1 ? null : n - 1);
    }

    boolean isHandlingRequest(EndPoint connection) {
        return requests.containsKey(connection);
    }

    /** The end point a connector tracks for the connection of this end point. */
    static EndPoint network(EndPoint endPoint) {
        EndPoint network = endPoint;
        while (network instanceof EndPoint.Wrapper wrapper) {
            network = wrapper.unwrap();
        }
        return network;
    }
}
