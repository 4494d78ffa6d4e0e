package dev.baton.jetty;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.FrameHandler;

/**
 * The WebSocket sessions of one managed server, each closed with status 1001 (going away) when the
 * server drains, once the message it is receiving is handled.
 *
 * <p>Obtained from {@link BatonJetty#webSockets}; the application wraps the frame handler of each
 * session it accepts with {@link #track(FrameHandler)}, for example in the negotiator of Jetty's core
 * {@code WebSocketUpgradeHandler}:
 *
 * <pre>{@code
 * WebSocketDrain sessions = BatonJetty.webSockets(server);
 * WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
 * upgrade.addMapping("/ws", (request, response, callback) -> sessions.track(new EchoHandler()));
 * }</pre>
 *
 * <p>When the server drains, each session whose handler is not inside a message (no frame handed to it
 * waits for its callback, and the last frame of a fragmented message has arrived) is sent a close frame
 * 1001 at once; the others as soon as their message is done. A close frame is queued after the frames
 * the handler already sent, so an answer written before it reaches the peer. The connection closes
 * when the peer answers the close, or is aborted after the close timeout. A session whose handler never
 * finishes its message stays open until the drain timeout, where the hammer cuts and counts it.
 *
 * <p>A message the peer sends while the close frame is on its way is not handed to the handler and not
 * answered (WebSocket has no "last message id" as HTTP/2's GOAWAY has): a client that reconnects on 1001
 * sends again what was not answered, on the successor. After the close frame the handler must send
 * nothing more; a handler that pushes on its own (not in answer to a message) stops when told by
 * {@link BatonJetty#onDrain}, or checks {@link #isDraining()}. Sessions of handlers not tracked here are
 * not closed with 1001: the hammer cuts them.
 *
 * <p>Thread-safe: sessions open and close on Jetty's threads while the drainer's thread drains.
 */
public final class WebSocketDrain {

    /** The close status sent when the server drains: 1001, going away. */
    public static final int GOING_AWAY = CloseStatus.SHUTDOWN;

    private static final Logger LOG = System.getLogger(WebSocketDrain.class.getName());

    private final Set<TrackedFrameHandler> open = ConcurrentHashMap.newKeySet();
    private final Scheduler scheduler;
    private final long closeTimeoutMillis;
    private volatile boolean draining;

    WebSocketDrain(Scheduler scheduler, long closeTimeoutMillis) {
        this.scheduler = scheduler;
        this.closeTimeoutMillis = closeTimeoutMillis;
    }

    /**
     * Tracks the session this frame handler will serve, so that a drain closes it with 1001.
     *
     * @param handler the application's handler of one session, not yet opened
     * @return the handler to give Jetty in its place
     * @throws NullPointerException if {@code handler} is null
     */
    public FrameHandler track(FrameHandler handler) {
        return new TrackedFrameHandler(Objects.requireNonNull(handler, "handler"), this);
    }

    /** How many tracked sessions are open. */
    public int openSessions() {
        return open.size();
    }

    /** Whether the server drains: a session opened now is closed with 1001 as soon as it opens. */
    public boolean isDraining() {
        return draining;
    }

    /** Starts closing every open session with 1001; called once, by the drainer. */
    void drain() {
        draining = true;
        LOG.log(Level.INFO, "draining: closing {0} WebSocket session(s) with 1001 (going away)", open.size());
        for (TrackedFrameHandler session : open) {
            session.goAwayWhenIdle();
        }
    }

    void opened(TrackedFrameHandler session) {
        open.add(session);
    }

    void closed(TrackedFrameHandler session) {
        open.remove(session);
    }

    /** Aborts the session if the peer has not answered its close frame within the close timeout. */
    void abortLater(TrackedFrameHandler session) {
        try {
            scheduler.schedule(session::abortIfOpen, closeTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            session.abortIfOpen(); // the server stops
        }
    }

    long closeTimeoutMillis() {
        return closeTimeoutMillis;
    }
}
