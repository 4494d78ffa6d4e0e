package dev.baton;

/** The states a generation of a Baton service goes through, in order; {@code UPGRADING} may return to {@code SERVING}. */
public enum GenerationState {
    /** Started; listeners may be taken; not yet {@link Baton#ready() ready}. */
    STARTING,
    /** Ready and the one generation accepting connections. */
    SERVING,
    /** Serving while a successor starts; back to {@code SERVING} if the successor fails. */
    UPGRADING,
    /** No longer accepting: finishing what is in flight, until the drain timeout. */
    DRAINING,
    /** Drained (or hammered): the process should exit. */
    STOPPED
}
