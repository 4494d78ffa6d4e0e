package dev.baton;

import java.util.concurrent.CompletableFuture;

/**
 * A server whose accepting and draining a generation drives: the contract between the lifecycle and a
 * server adapter (Jetty, Netty, ...). The core knows no server.
 *
 * <p>The core calls {@link #startAccepting()} once this generation serves (after {@link Baton#ready()},
 * and after the predecessor agreed), so that a successor that fails before that has accepted nothing
 * it would drop. When the generation stops serving it calls {@link #drain()} once, then, if the
 * returned future has not completed by the drain deadline, {@link #hammer()} once. {@code hammer()}
 * may also come early, when a second stop signal arrives or too many old generations drain.
 *
 * <p>The listening sockets a server accepts on are shared with other generations: it closes its own
 * channels but never calls {@code shutdown()} on them, since that would act on the socket for every
 * process holding it.
 */
public interface ManagedServer {

    /** Starts accepting connections; until then the listening sockets queue them. */
    void startAccepting();

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

    /**
     * Whether this server can {@link #pauseAccepting()} and {@link #resumeAccepting()}. A server that can is
     * kept on probation after its successor is ready: it stops accepting but keeps serving what it has
     * open, and accepts again if the successor dies within the probation; one that cannot drains at once.
     */
    default boolean canPauseAccepting() {
        return false;
    }

    /**
     * Stops accepting new connections for now, keeping its channels open and serving the connections it
     * has; new connections queue for the successor, which accepts on the same sockets. Called only if
     * {@link #canPauseAccepting()}.
     */
    default void pauseAccepting() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot pause accepting");
    }

    /** Accepts again after {@link #pauseAccepting()}: its successor died on probation. */
    default void resumeAccepting() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot resume accepting");
    }
}
