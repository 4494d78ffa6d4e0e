package dev.baton.load;

import java.time.Duration;
import java.util.Locale;

/**
 * One failed request, described for diagnosis: a run keeps the first
 * {@value LoadReport#MAX_SAMPLE_FAILURES} of them.
 *
 * @param kind the kind of the failure
 * @param at when it was seen, counted from the start of the run
 * @param worker the worker that saw it, from 0
 * @param connectionAge how long the connection had been established when the request failed; zero
 *     if it failed while connecting
 * @param requestOnConnection which request on its connection this was, from 1; 0 if it failed while
 *     connecting
 * @param bytesReceived how many bytes of the response had arrived
 * @param detail what went wrong: the exception's type and message, or the status line
 */
public record FailureSample(
        FailureKind kind,
        Duration at,
        int worker,
        Duration connectionAge,
        long requestOnConnection,
        long bytesReceived,
        String detail) {

    /**
     * Checks the values.
     *
     * @throws NullPointerException if {@code kind}, {@code at}, {@code connectionAge} or
     *     {@code detail} is null
     */
    public FailureSample {
        if (kind == null || at == null || connectionAge == null || detail == null) {
            throw new NullPointerException("kind, at, connectionAge and detail must not be null");
        }
    }

    /**
     * The sample on one line, for example {@code EOF at 3.204 s, worker 7: connection age 1.250 s,
     * request 57 on it, 0 bytes received: server closed the connection before the status line}.
     */
    @Override
    public String toString() {
        String where = requestOnConnection == 0
                ? "while connecting"
                : String.format(Locale.ROOT, "connection age %.3f s, request %d on it, %d bytes received",
                        seconds(connectionAge), requestOnConnection, bytesReceived);
        return String.format(Locale.ROOT, "%s at %.3f s, worker %d: %s: %s", kind, seconds(at), worker, where, detail);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
