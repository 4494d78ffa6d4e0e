package dev.baton.jetty;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The handler a drainer installs below the server: it counts the requests each connection is
 * handling, and while draining makes every HTTP/1.x response not yet committed carry
 * {@code Connection: close}, including responses of requests that were in flight when draining began.
 *
 * <p>Thread-safe, as every Jetty handler; a response's headers are only touched by the thread that
 * writes or completes it (see {@link ClosingResponse}).
 */
final class DrainHandler extends Handler.Wrapper {

    private final DrainState state;

    DrainHandler(DrainState state) {
        this.state = state;
    }

    DrainState state() {
        return state;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        EndPoint connection = DrainState.network(request.getConnectionMetaData().getConnection().getEndPoint());
        Response handled = isHttp1(request) ? new ClosingResponse(request, response, state) : response;
        RequestEnd end = new RequestEnd(state, connection, handled, callback);
        state.requestStarted(connection);
        boolean accepted = false;
        try {
            if (handled instanceof ClosingResponse closing) {
                closing.closeIfDraining();
            }
            accepted = super.handle(request, handled, end);
            return accepted;
        } finally {
            if (!accepted) {
                // Jetty answers (404 or 500) itself and never completes our callback.
                end.ended();
            }
        }
    }

    private static boolean isHttp1(Request request) {
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        return version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0;
    }

    /** The callback of a handled request: marks the response for closing, then counts the request as ended. */
    private static final class RequestEnd implements Callback {
        private final DrainState state;
        private final EndPoint connection;
        private final Response response;
        private final Callback callback;
        private final AtomicBoolean ended = new AtomicBoolean();

        RequestEnd(DrainState state, EndPoint connection, Response response, Callback callback) {
            this.state = state;
            this.connection = connection;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void succeeded() {
            if (response instanceof ClosingResponse closing) {
                closing.closeIfDraining();
            }
            try {
                callback.succeeded();
            } finally {
                ended();
            }
        }

        @Override
        public void failed(Throwable failure) {
            if (response instanceof ClosingResponse closing) {
                closing.closeIfDraining();
            }
            try {
                callback.failed(failure);
            } finally {
                ended();
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return callback.getInvocationType();
        }

        void ended() {
            if (ended.compareAndSet(false, true)) {
                state.requestEnded(connection);
            }
        }
    }
}
