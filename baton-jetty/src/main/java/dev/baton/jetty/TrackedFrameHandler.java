package dev.baton.jetty;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

/**
 * A frame handler that follows whether its session is inside a message, so that a drain sends the
 * close frame 1001 only between messages; it delegates everything to the application's handler.
 *
 * <p>Thread-safe: Jetty hands frames in one at a time (as the delegate demands them), while the drainer's thread may ask
 * for the close; the message state and the decision to close are guarded by this object's lock.
 */
final class TrackedFrameHandler implements FrameHandler {

    private static final Logger LOG = System.getLogger(TrackedFrameHandler.class.getName());

    private final FrameHandler delegate;
    private final WebSocketDrain drain;
    private volatile CoreSession session;
    private boolean handlingFrame; // a data frame was handed to the delegate, its callback not completed
    private boolean insideMessage; // the last data frame seen was not the last of its message
    private boolean goAwayWanted;
    private boolean closeSent;

    TrackedFrameHandler(FrameHandler delegate, WebSocketDrain drain) {
        this.delegate = delegate;
        this.drain = drain;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        drain.opened(this);
        delegate.onOpen(coreSession, Callback.from(() -> {
            callback.succeeded();
            if (drain.isDraining()) {
                goAwayWhenIdle();
            }
        }, callback::failed));
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        if (!frame.isDataFrame()) {
            delegate.onFrame(frame, callback);
            return;
        }
        synchronized (this) {
            if (closeSent) {
                // Sent by the peer before it saw our close: left unanswered, it sends it again to the successor.
                callback.succeeded();
                session.demand(); // keep reading, for the peer's answer to the close
                return;
            }
            handlingFrame = true;
            insideMessage = !frame.isFin();
        }
        // Marked handled before Jetty learns it, which may hand in the next frame at once.
        delegate.onFrame(frame, Callback.from(() -> {
            frameHandled();
            callback.succeeded();
        }, failure -> {
            frameHandled();
            callback.failed(failure);
        }));
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        delegate.onError(cause, callback);
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        drain.closed(this);
        delegate.onClosed(closeStatus, callback);
    }

    private void frameHandled() {
        boolean goAway;
        synchronized (this) {
            handlingFrame = false;
            goAway = goAwayWanted && !insideMessage;
        }
        if (goAway) {
            goAwayWhenIdle();
        }
    }

    /** Sends the close frame 1001 now if no message is in flight, or else once it is done. */
    void goAwayWhenIdle() {
        CoreSession coreSession = session;
        synchronized (this) {
            goAwayWanted = true;
            if (closeSent || handlingFrame || insideMessage || coreSession == null) {
                return;
            }
            closeSent = true;
        }
        LOG.log(Level.DEBUG, "closing WebSocket session {0} with 1001", coreSession);
        if (coreSession instanceof WebSocketCoreSession core && core.getConnection() != null) {
            // Jetty's close(1001) would close the TCP connection right after the close frame (it counts
            // 1001 as abnormal), before the peer answers: a message the peer sends meanwhile then meets
            // a reset, which can destroy the close frame unread. Queued on the connection instead, the
            // frame leaves Jetty's session open; the peer's answer closes it as any close handshake.
            core.getConnection().enqueueFrame(new OutgoingEntry.Builder(
                    CloseStatus.toFrame(WebSocketDrain.GOING_AWAY, "going away"), Callback.NOOP).build());
        } else {
            coreSession.close(WebSocketDrain.GOING_AWAY, "going away", Callback.NOOP);
        }
        drain.abortLater(this);
    }

    void abortIfOpen() {
        CoreSession coreSession = session;
        if (coreSession != null && !coreSession.isClosed()) {
            LOG.log(Level.DEBUG, "the peer did not answer the close frame within {0} ms; aborting {1}",
                    drain.closeTimeoutMillis(), coreSession);
            coreSession.abort();
        }
    }
}
