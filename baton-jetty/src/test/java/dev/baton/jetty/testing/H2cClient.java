package dev.baton.jetty.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PingFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;

/**
 * One HTTP/2 cleartext connection with prior knowledge (no Upgrade), made with Jetty's low-level
 * {@link HTTP2Client}, which records the control frames the server sends (GOAWAY, PING, RST_STREAM) in
 * the order they arrive: the h2c client of the adapter tests, for any server.
 *
 * <p>A well-behaved client: once it has received a GOAWAY it opens no new stream on this connection
 * (Jetty's client fails {@link #get} at once, without sending anything).
 */
public final class H2cClient implements AutoCloseable {

    /** The failure of a request this client never sent: it refused to open a stream after a GOAWAY. */
    public static final class NotSent extends IOException {
        private static final long serialVersionUID = 1L;

        NotSent(Throwable cause) {
            super("the client opened no stream (a GOAWAY came): " + cause, cause);
        }
    }

    /** A response: status, headers and body (UTF-8). */
    public record Answer(int status, HttpFields headers, String body) {}

    /** A control frame received from the server, in arrival order. */
    public sealed interface Control {
        /** A GOAWAY; {@code lastStreamId} is {@link Integer#MAX_VALUE} for the first of a graceful two-step. */
        record GoAway(int lastStreamId, int error) implements Control {}

        /** A PING the server sent (not an answer to ours). */
        record Ping(long payload) implements Control {}

        /** A RST_STREAM. */
        record Reset(int streamId, int error) implements Control {}
    }

    private final HTTP2Client client;
    private final Session session;
    private final int port;
    private final List<Control> controls = new CopyOnWriteArrayList<>();
    private final Set<CompletableFuture<Answer>> pending = ConcurrentHashMap.newKeySet();

    private H2cClient(HTTP2Client client, Session session, int port) {
        this.client = client;
        this.session = session;
        this.port = port;
    }

    /** Connects to 127.0.0.1 on the port and sends the HTTP/2 preface. */
    public static H2cClient connect(int port) throws Exception {
        HTTP2Client client = new HTTP2Client();
        client.start();
        try {
            SessionEnd end = new SessionEnd();
            Session session = client.connect(new InetSocketAddress("127.0.0.1", port), end).get(10, TimeUnit.SECONDS);
            H2cClient h2c = new H2cClient(client, session, port);
            end.client = h2c;
            ((HTTP2Session) session).addEventListener(h2c.new Recorder());
            return h2c;
        } catch (Exception e) {
            client.stop();
            throw e;
        }
    }

    /**
     * Sends {@code GET path} on a new stream.
     *
     * @return the answer, or a failure if the stream was reset or the connection closed before the end
     *     of the answer; {@link NotSent} if the client refused to open the stream (after a GOAWAY)
     */
    public CompletableFuture<Answer> get(String path) {
        MetaData.Request request = new MetaData.Request(
                "GET", HttpURI.from("http://127.0.0.1:" + port + path), HttpVersion.HTTP_2, HttpFields.EMPTY);
        StreamAnswer answer = new StreamAnswer();
        pending.add(answer.future);
        answer.future.whenComplete((result, failure) -> pending.remove(answer.future));
        session.newStream(new HeadersFrame(request, null, true), answer).whenComplete((stream, failure) -> {
            if (failure != null) {
                answer.future.completeExceptionally(new NotSent(failure));
            }
        });
        return answer.future;
    }

    /** The control frames received so far, in arrival order. */
    public List<Control> controls() {
        return List.copyOf(controls);
    }

    /** The GOAWAY frames received so far, in arrival order. */
    public List<Control.GoAway> goAways() {
        return controls.stream().filter(Control.GoAway.class::isInstance).map(Control.GoAway.class::cast).toList();
    }

    /** Whether the connection is closed (or closing, after a GOAWAY). */
    public boolean isClosed() {
        return session.isClosed();
    }

    @Override
    public void close() throws IOException {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IOException("cannot stop the HTTP/2 client", e);
        }
    }

    /** Fails the streams still waiting for their answer when the connection ends. */
    private static final class SessionEnd implements Session.Listener {
        volatile H2cClient client;

        @Override
        public void onClose(Session session, GoAwayFrame frame, Callback callback) {
            failPending("closed");
            callback.succeeded();
        }

        @Override
        public void onFailure(Session session, Throwable failure, Callback callback) {
            failPending("failed: " + failure);
            callback.succeeded();
        }

        private void failPending(String how) {
            H2cClient h2c = client;
            if (h2c != null) {
                for (CompletableFuture<Answer> answer : h2c.pending) {
                    answer.completeExceptionally(new IOException("the connection " + how + " before the answer ended"));
                }
            }
        }
    }

    private final class Recorder implements HTTP2Session.FrameListener {
        @Override
        public void onIncomingFrame(Session ignored, Frame frame) {
            switch (frame) {
                case GoAwayFrame goAway -> controls.add(new Control.GoAway(goAway.getLastStreamId(), goAway.getError()));
                case PingFrame ping when !ping.isReply() -> controls.add(new Control.Ping(ping.getPayloadAsLong()));
                case ResetFrame reset -> controls.add(new Control.Reset(reset.getStreamId(), reset.getError()));
                default -> {}
            }
        }
    }

    /** Collects the answer of one stream. */
    private static final class StreamAnswer implements Stream.Listener {
        final CompletableFuture<Answer> future = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private volatile MetaData.Response response;

        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response headers) {
                response = headers;
            }
            if (frame.isEndStream()) {
                complete();
            } else {
                stream.demand();
            }
        }

        @Override
        public void onDataAvailable(Stream stream) {
            Stream.Data data = stream.readData();
            if (data == null) {
                stream.demand();
                return;
            }
            ByteBuffer bytes = data.frame().getByteBuffer();
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            body.writeBytes(copy);
            boolean last = data.frame().isEndStream();
            data.release();
            if (last) {
                complete();
            } else {
                stream.demand();
            }
        }

        @Override
        public void onReset(Stream stream, ResetFrame frame, Callback callback) {
            future.completeExceptionally(new IOException("stream " + stream.getId() + " reset, error " + frame.getError()));
            callback.succeeded();
        }

        @Override
        public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
            future.completeExceptionally(new IOException("stream " + stream.getId() + " failed: " + reason, failure));
            callback.succeeded();
        }

        private void complete() {
            MetaData.Response headers = response;
            if (headers == null) {
                future.completeExceptionally(new IOException("stream ended without response headers"));
                return;
            }
            future.complete(new Answer(headers.getStatus(), headers.getHttpFields(),
                    body.toString(StandardCharsets.UTF_8)));
        }
    }
}
