package dev.baton.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/** Classifies the exception that ended a request into a {@link FailureKind}: the one place that does. */
final class Failures {

    private Failures() {
    }

    static FailureKind classify(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return switch (e) {
            case SocketTimeoutException t -> FailureKind.TIMEOUT;
            case HttpConnection.PrematureEofException eof -> FailureKind.EOF;
            case java.io.EOFException eof -> FailureKind.EOF;
            case ProtocolException p -> FailureKind.PROTOCOL;
            case ConnectException c when message.contains("timed out") -> FailureKind.TIMEOUT;
            case ConnectException c when message.contains("refused") -> FailureKind.REFUSED;
            case SocketException s when message.contains("reset") || message.contains("broken pipe") ->
                    FailureKind.RESET;
            default -> FailureKind.OTHER;
        };
    }

    /** The exception as one line: its type and message. */
    static String describe(IOException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
