package dev.baton.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The demo server's answers: {@code GET /} says who answered, {@code GET /sleep?ms=N} first sleeps
 * {@code N} milliseconds (at most a minute), to show a long request finishing on the old generation.
 */
final class DemoHandler extends Handler.Abstract {

    private static final long MAX_SLEEP_MS = 60_000;

    private final String body;

    DemoHandler(DemoConfig config, long pid, int generation) {
        super(InvocationType.BLOCKING);
        this.body = config.greeting() + ": pid=" + pid + " generation=" + generation + "\n";
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        switch (path) {
            case "/" -> answer(response, callback, HttpStatus.OK_200, body);
            case "/sleep" -> {
                Fields query = Request.extractQueryParameters(request);
                long millis;
                try {
                    millis = Long.parseLong(query.getValue("ms"));
                } catch (NumberFormatException | NullPointerException e) {
                    answer(response, callback, HttpStatus.BAD_REQUEST_400, "expected /sleep?ms=N\n");
                    return true;
                }
                if (millis < 0 || millis > MAX_SLEEP_MS) {
                    answer(response, callback, HttpStatus.BAD_REQUEST_400, "ms must be 0 to " + MAX_SLEEP_MS + "\n");
                    return true;
                }
                Thread.sleep(millis);
                answer(response, callback, HttpStatus.OK_200, "slept " + millis + " ms; " + body);
            }
            default -> answer(response, callback, HttpStatus.NOT_FOUND_404, "not found: " + path + "\n");
        }
        return true;
    }

    private static void answer(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
