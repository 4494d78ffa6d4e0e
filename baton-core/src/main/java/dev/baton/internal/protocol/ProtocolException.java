package dev.baton.internal.protocol;

import java.io.IOException;

/** A control message that is malformed, truncated, oversized, of another version or unexpected. */
public final class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
