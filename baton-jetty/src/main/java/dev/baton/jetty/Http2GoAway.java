package dev.baton.jetty;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.PingFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The two-step GOAWAY of the HTTP/2 sessions of a draining server (RFC 9113, section 6.8): first a
 * GOAWAY with the highest stream id and a PING; once the PING is answered (so every stream the client
 * opened before it saw the first GOAWAY has arrived) Jetty's graceful shutdown of the session, which
 * sends the final GOAWAY with the last stream id as soon as the streams in flight are done.
 *
 * <p>Why not Jetty alone: {@code HTTP2Session.shutdown()} (what {@code Graceful.shutdown} does for
 * HTTP/2) sends a GOAWAY with the highest stream id, then the final GOAWAY the moment no stream is
 * open, with no PING between. A session idle at that moment gets both at once, and a stream the client
 * sent just before is above the final last stream id: Jetty drops it and the client must retry it. The
 * PING makes the final GOAWAY wait for the streams already on the wire, so they are answered here.
 *
 * <p>Thread-safe: the drainer's sweep, the sessions' reading threads and the scheduler call it. One
 * entry per session, made once; {@link #finish} runs once per session.
 */
final class Http2GoAway {

    private static final Logger LOG = System.getLogger(Http2GoAway.class.getName());
    private static final byte[] DRAINING = "draining".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicLong PING_PAYLOADS = new AtomicLong(0x6261746f6e000000L); // "baton" and a counter

    private final Map<HTTP2Session, Step> sessions = new ConcurrentHashMap<>();
    private final Scheduler scheduler;
    private final long pingTimeoutMillis;

    /**
     * @param pingTimeoutMillis how long to wait for the PING answer before the final step all the same
     */
    Http2GoAway(Scheduler scheduler, long pingTimeoutMillis) {
        this.scheduler = scheduler;
        this.pingTimeoutMillis = pingTimeoutMillis;
    }

    /** Starts the two-step GOAWAY on this session, if not started yet. */
    void start(HTTP2Session session) {
        if (session.isClosed() || sessions.containsKey(session)) {
            return;
        }
        Step step = new Step(session, PING_PAYLOADS.incrementAndGet());
        if (sessions.putIfAbsent(session, step) == null) {
            step.begin();
        }
    }

    /**
     * Whether the final GOAWAY went out to this session at least {@code graceNanos} ago and no stream
     * is left: the client did not close the connection as it should, so the drainer does.
     */
    boolean isDone(HTTP2Session session, long now, long graceNanos) {
        Step step = sessions.get(session);
        if (step == null || session.getStreams().size() > 0) {
            return false;
        }
        long sent = step.finalGoAwayNanos;
        return sent != 0 && now - sent >= graceNanos;
    }

    /** One session's progress through the two steps. */
    private final class Step implements HTTP2Session.FrameListener {
        private final HTTP2Session session;
        private final long pingPayload;
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile long finalGoAwayNanos;

        Step(HTTP2Session session, long pingPayload) {
            this.session = session;
            this.pingPayload = pingPayload;
        }

        void begin() {
            session.addEventListener(this);
            // Sent around Jetty's close state, which stays open: streams keep being accepted until the PING answer.
            // The PING follows once the GOAWAY is written: Jetty puts PINGs at the head of its queue, and a
            // PING answered before the GOAWAY arrived would prove nothing.
            session.frames(null, List.of(new GoAwayFrame(Integer.MAX_VALUE, ErrorCode.NO_ERROR.code, DRAINING)),
                    Callback.from(() -> session.ping(new PingFrame(pingPayload, false), Callback.NOOP), this::failed));
            try {
                scheduler.schedule(this::pingTimedOut, pingTimeoutMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                finish(); // the server stops; no PING answer can be waited for
            }
        }

        private void failed(Throwable failure) {
            LOG.log(Level.DEBUG, "could not send the first GOAWAY on " + session, failure);
            finish();
        }

        private void pingTimedOut() {
            if (!finished.get()) {
                LOG.log(Level.DEBUG, "no PING answer within {0} ms on {1}; sending the final GOAWAY all the same",
                        pingTimeoutMillis, session);
                finish();
            }
        }

        void finish() {
            if (finished.compareAndSet(false, true)) {
                session.shutdown();
            }
        }

        @Override
        public void onIncomingFrame(Session ignored, Frame frame) {
            if (frame instanceof PingFrame ping && ping.isReply() && ping.getPayloadAsLong() == pingPayload) {
                finish();
            }
        }

        @Override
        public void onOutgoingFrame(Session ignored, Frame frame) {
            if (frame instanceof GoAwayFrame goAway && !goAway.isGraceful()) {
                finalGoAwayNanos = System.nanoTime();
            }
        }
    }
}
