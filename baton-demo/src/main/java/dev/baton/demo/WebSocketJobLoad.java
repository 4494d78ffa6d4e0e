package dev.baton.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The WebSocket load of the demo job: closed-loop sessions of the JDK's WebSocket client, each
 * sending a numbered message and awaiting its echo at {@code /ws} before the next. When the server
 * goes away (close 1001, as a draining generation says) the session answers the close, reconnects and
 * sends again the message left unanswered: no echo is lost, and that is not a failure. Anything else
 * is one: another close status, an error, a wrong echo, no echo within the timeout.
 */
final class WebSocketJobLoad extends LoopingJobLoad {

    static final String UNIT = "echoes";
    private static final int GOING_AWAY = 1001;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_WAIT = Duration.ofSeconds(25);

    /** What a session's listener hands its loop. */
    private sealed interface Event {}

    private record Echo(String text) implements Event {}

    private record Closed(int status, String reason) implements Event {}

    private record Failed(Throwable error) implements Event {}

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI uri;

    WebSocketJobLoad(int port, int sessionCount) {
        super(UNIT, STOP_WAIT);
        uri = URI.create("ws://127.0.0.1:" + port + WebSocketEcho.PATH);
        for (int i = 0; i < sessionCount; i++) {
            String name = "s" + i;
            startLoop("demo-ws-session-" + i, () -> echoInALoop(name));
        }
    }

    private void echoInALoop(String name) {
        long sequence = 0;
        try {
            while (running()) {
                BlockingQueue<Event> events = new LinkedBlockingQueue<>();
                WebSocket socket;
                try {
                    socket = client.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(uri, new Listener(events))
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    tally.failed("connect", describe(e));
                    TimeUnit.MILLISECONDS.sleep(100); // not a retry of a message: a pause before dialling again
                    continue;
                }
                sequence = exchange(socket, events, name, sequence);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Echoes on one session until it ends; returns the number of the first message not yet echoed. */
    private long exchange(WebSocket socket, BlockingQueue<Event> events, String name, long sequence)
            throws InterruptedException {
        long next = sequence;
        try {
            while (running()) {
                String message = name + "-" + next;
                Event event;
                try {
                    socket.sendText(message, true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    // The output may have failed because the server closed after its 1001: that close says why.
                    event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    if (!(event instanceof Closed)) {
                        tally.failed("send", describe(e));
                        return next;
                    }
                } catch (TimeoutException e) {
                    tally.failed("send timeout", "no send within " + TIMEOUT.toSeconds() + " s");
                    return next;
                }
                switch (event) {
                    case null -> {
                        tally.failed("timeout", "no echo of " + message + " within " + TIMEOUT.toSeconds() + " s");
                        return next;
                    }
                    case Echo echo when echo.text().endsWith(": " + message) -> {
                        tally.answered(echo.text());
                        next++;
                    }
                    case Echo echo -> {
                        tally.failed("wrong echo", "sent " + message + ", got " + echo.text());
                        return next;
                    }
                    case Closed closed when closed.status() == GOING_AWAY -> {
                        tally.reconnected(); // the message left unanswered goes again to the next generation
                        return next;
                    }
                    case Closed closed -> {
                        tally.failed("close " + closed.status(), closed.reason());
                        return next;
                    }
                    case Failed failed -> {
                        tally.failed(failed.error().getClass().getSimpleName(), String.valueOf(failed.error().getMessage()));
                        return next;
                    }
                }
            }
            return next;
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((done, error) -> socket.abort());
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Hands each whole text message, the close and any error to the session's loop. */
    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<Event> events;
        private final StringBuilder text = new StringBuilder();

        Listener(BlockingQueue<Event> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(new Echo(text.toString()));
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            events.add(new Closed(status, reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            events.add(new Failed(error));
        }
    }

    @Override
    protected String description() {
        return "WebSocket echo at " + WebSocketEcho.PATH + ", java.net.http.WebSocket, "
                + loopCount() + " sessions reconnecting on close 1001";
    }

    @Override
    protected void closeClients() {
        client.shutdownNow();
    }
}
