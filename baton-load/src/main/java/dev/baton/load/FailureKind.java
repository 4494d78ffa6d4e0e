package dev.baton.load;

/**
 * The kind of a failed request: how the attempt ended without a complete 2xx answer.
 *
 * <p>Every failure has exactly one kind; none is ever retried. A request that was in flight when
 * {@link LoadRun#stop()} was called is not a failure: it is counted as abandoned.
 */
public enum FailureKind {

    /** The connection was refused: nothing was accepting on the target. */
    REFUSED("refused"),

    /** The connection was reset by the peer, or a write hit a broken pipe, at any point. */
    RESET("reset"),

    /**
     * The server closed the connection cleanly before the response was complete, including a
     * kept-alive connection closed under a request that had been sent on it.
     */
    EOF("eof"),

    /** The connect timeout, or the request timeout before the response was complete, expired. */
    TIMEOUT("timeout"),

    /** A complete response came with a status outside 200–299. */
    NON_2XX("non-2xx"),

    /** The server sent bytes that are not a valid HTTP/1.1 response. */
    PROTOCOL("protocol"),

    /** Any other I/O error (for example no route to host); the failure sample names it. */
    OTHER("other");

    private final String label;

    FailureKind(String label) {
        this.label = label;
    }

    /** The lower-case name used in reports, for example {@code non-2xx}. */
    public String label() {
        return label;
    }
}
