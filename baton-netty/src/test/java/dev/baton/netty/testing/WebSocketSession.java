package dev.baton.netty.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client session on the JDK's client that records what the server sent, in order:
 * {@code "text:<message>"} for a message and {@code "close:<status>"} for a close frame.
 */
public final class WebSocketSession implements AutoCloseable {

    /** What the server sent, in order. */
    public final List<String> events = new CopyOnWriteArrayList<>();
    /** Completes with the status of the server's close frame. */
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private final WebSocket socket;

    /** Opens {@code ws://127.0.0.1:port/path}. */
    public WebSocketSession(int port, String path) throws Exception {
        socket = client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), new Recorder())
                .get(10, TimeUnit.SECONDS);
    }

    /** Sends a text message. */
    public void send(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.abort();
        client.close();
    }

    private final class Recorder implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add("text:" + text);
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add("close:" + statusCode);
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add("error:" + error);
            closed.completeExceptionally(error);
        }
    }
}
