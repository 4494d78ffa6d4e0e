package dev.baton.load;

/** How a load worker uses connections: one kept alive across requests, or a new one per request. */
public enum ConnectionMode {

    /**
     * One connection per worker, reused for every request until the server answers with
     * {@code Connection: close} (then the next request opens a new one, which is not a failure) or a
     * request on it fails.
     */
    KEEP_ALIVE,

    /** A new connection for every request; the request says {@code Connection: close}. */
    NEW_CONNECTION;

    /** The lower-case name used in reports: {@code keep-alive} or {@code new-connection}. */
    public String label() {
        return this == KEEP_ALIVE ? "keep-alive" : "new-connection";
    }
}
