package dev.baton.demo;

import java.util.function.Supplier;

/**
 * What the demo's HTTP servers answer, whatever the server: {@code GET /} says who answered,
 * {@code GET /sleep?ms=N} answers the same after {@code N} milliseconds (at most a minute), to show a
 * long request finishing on the old generation, {@code GET /metrics} shows Baton's meters (with
 * {@code --metrics}). Each server writes the answer its own way.
 */
final class DemoAnswers {

    /**
     * One answer.
     *
     * @param status the HTTP status
     * @param text the body, UTF-8 plain text
     * @param delayMillis how long to wait before answering
     */
    record Answer(int status, String text, long delayMillis) {}

    static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    private static final long MAX_SLEEP_MS = 60_000;

    private final String body;
    private final Supplier<String> metrics;

    DemoAnswers(DemoConfig config, long pid, int generation) {
        this(config, pid, generation, null);
    }

    /** @param metrics what {@code GET /metrics} shows, or null if the server was not asked to show it */
    DemoAnswers(DemoConfig config, long pid, int generation, Supplier<String> metrics) {
        this.body = config.greeting() + ": pid=" + pid + " generation=" + generation + "\n";
        this.metrics = metrics;
    }

    /**
     * The answer to a {@code GET} of {@code path}.
     *
     * @param ms the {@code ms} query parameter, or {@code null} if absent
     */
    Answer answer(String path, String ms) {
        return switch (path) {
            case "/" -> new Answer(200, body, 0);
            case "/sleep" -> sleep(ms);
            case "/metrics" -> metrics == null
                    ? new Answer(404, "not found: /metrics (start the server with --metrics)\n", 0)
                    : new Answer(200, metrics.get(), 0);
            default -> new Answer(404, "not found: " + path + "\n", 0);
        };
    }

    private Answer sleep(String ms) {
        long millis;
        try {
            millis = Long.parseLong(ms);
        } catch (NumberFormatException e) { // null too
            return new Answer(400, "expected /sleep?ms=N\n", 0);
        }
        if (millis < 0 || millis > MAX_SLEEP_MS) {
            return new Answer(400, "ms must be 0 to " + MAX_SLEEP_MS + "\n", 0);
        }
        return new Answer(200, "slept " + millis + " ms; " + body, millis);
    }
}
