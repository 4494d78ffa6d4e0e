package dev.baton.spring.tomcat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * What the protocol, its processors, the closing valve and the drainer of one Tomcat connector share:
 * whether it drains, and which connections a processor is working on right now.
 *
 * <p>Thread-safe without locks: worker threads mark connections, the drainer's sweep reads them.
 */
final class TomcatDrainState {

    private final ConcurrentMap<SocketWrapperBase<?>, Integer> inService = new ConcurrentHashMap<>();
    private volatile long drainStartNanos;
    private volatile boolean draining;

    /** Marks the start of draining: from now on every response not yet committed closes its connection. */
    void startDraining() {
        drainStartNanos = System.nanoTime();
        draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    /** The {@link System#nanoTime()} at which draining began; meaningful once draining. */
    long drainStartNanos() {
        return drainStartNanos;
    }

    void serviceStarted(SocketWrapperBase<?> connection) {
        inService.merge(connection, 1, Integer::sum);
    }

    void serviceEnded(SocketWrapperBase<?> connection) {
        inService.computeIfPresent(connection, (c, n) -> n == 1 ? null : n - 1);
    }

    /** Whether a processor is reading, handling or answering a request on {@code connection}. */
    boolean isInService(SocketWrapperBase<?> connection) {
        return inService.containsKey(connection);
    }
}
