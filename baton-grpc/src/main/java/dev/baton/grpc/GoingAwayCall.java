package dev.baton.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A server call a drain can end from another thread: every send and the close are serialized, and
 * once it has been closed further sends and closes are dropped instead of failing. Used for streams
 * whose service Baton knows, such as the health service's {@code Watch}.
 */
final class GoingAwayCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R>
        implements GoAwayTarget {

    private boolean closed;

    GoingAwayCall(ServerCall<Q, R> delegate) {
        super(delegate);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
        if (!closed) {
            super.sendHeaders(headers);
        }
    }

    @Override
    public synchronized void sendMessage(R message) {
        if (!closed) {
            super.sendMessage(message);
        }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
        if (!closed) {
            closed = true;
            super.close(status, trailers);
        }
    }

    @Override
    public synchronized void goAway(Status status) {
        if (!closed) {
            closed = true;
            try {
                super.close(status, new Metadata());
            } catch (RuntimeException e) {
                // Closed underneath (cancelled by the peer at the same instant): nothing to end.
            }
        }
    }
}
