package dev.baton.spring;

/**
 * Baton could not start this generation: it cannot run in this JVM (a missing flag), or its listener
 * cannot be bound (the port is taken). {@link BatonFailureAnalyzer} turns it into Spring Boot's
 * "APPLICATION FAILED TO START" report with the action to take.
 */
public final class BatonStartException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String action;

    BatonStartException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
