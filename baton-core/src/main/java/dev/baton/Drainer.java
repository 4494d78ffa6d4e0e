package dev.baton;

import java.util.concurrent.CompletableFuture;

/**
 * A server that a generation drains when it stops serving: after its successor is ready, or on a
 * graceful stop. Adapters (Jetty, Netty, ...) implement it; the core knows no server.
 *
 * <p>The core calls {@link #drain()} once, then, if the returned future has not completed by the
 * drain deadline, {@link #hammer()} once. {@code hammer()} may also come early, when a second stop
 * signal arrives or too many old generations are draining.
 *
 * <p>The listening sockets a drainer accepts on are shared with the successor: a drainer closes its
 * own channels but never calls {@code shutdown()} on them, since that would act on the socket for
 * every process holding it.
 */
public interface Drainer {

    /**
     * Stops accepting, lets every request in flight finish, and closes connections once they are idle
     * (after answering any request that arrives on them in the meantime with {@code Connection: close}
     * or the protocol's equivalent).
     *
     * @return a future that completes when this server holds no connection any more
     */
    CompletableFuture<Void> drain();

    /**
     * Closes at once every connection still open.
     *
     * @return how many connections were closed, for the log
     */
    int hammer();
}
