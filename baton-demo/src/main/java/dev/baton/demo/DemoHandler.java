package dev.baton.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The Jetty demo server's handler: the {@link DemoAnswers}, a sleep blocking one of Jetty's threads. */
final class DemoHandler extends Handler.Abstract {

    private final DemoAnswers answers;

    DemoHandler(DemoAnswers answers) {
        super(InvocationType.BLOCKING);
        this.answers = answers;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        DemoAnswers.Answer answer = answers.answer(Request.getPathInContext(request),
                Request.extractQueryParameters(request).getValue("ms"));
        if (answer.delayMillis() > 0) {
            Thread.sleep(answer.delayMillis());
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, DemoAnswers.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(answer.text().getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
