package dev.baton.jetty;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * An HTTP/1.x response that, while the server drains, gets {@code Connection: close} just before it
 * is committed, so that Jetty closes the connection once the response is sent.
 *
 * <p>Not thread-safe, as every response: the header is added on the thread that writes the response
 * or completes its callback, the threads that own it at that moment.
 */
final class ClosingResponse extends Response.Wrapper {

    private final DrainState state;

    ClosingResponse(Request request, Response wrapped, DrainState state) {
        super(request, wrapped);
        this.state = state;
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
        closeIfDraining();
        super.write(last, content, callback);
    }

    /** Adds {@code Connection: close} if the server drains and the final response is not committed. */
    void closeIfDraining() {
        if (state.isDraining() && !isCommitted() && !HttpStatus.isInformational(getStatus())) {
            getHeaders().put(HttpFields.CONNECTION_CLOSE);
        }
    }
}
