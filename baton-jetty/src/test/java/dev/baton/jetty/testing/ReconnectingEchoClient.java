package dev.baton.jetty.testing;

import dev.baton.jetty.testing.RawWebSocket.Incoming;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop WebSocket client of an echo endpoint that never retries on an error, but reconnects
 * when the server closes with 1001 (going away), as a client of a draining server should: it sends
 * the message that was not echoed again on the new connection, so no echo is lost.
 *
 * <p>The echo must end with the message sent and start with the server's name and a space; the client
 * counts echoes by that name. Run it on its own thread; {@link #stop()} ends it after the current echo.
 */
public final class ReconnectingEchoClient implements Runnable {

    private final int port;
    private final String path;
    private final String id;
    private final Map<String, Long> echoedBy = new ConcurrentHashMap<>();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean stop;
    private volatile Exception failure;

    public ReconnectingEchoClient(int port, String path, String id) {
        this.port = port;
        this.path = path;
        this.id = id;
    }

    @Override
    public void run() {
        long next = 0;
        RawWebSocket socket = null;
        try {
            socket = RawWebSocket.connect(port, path);
            while (!stop) {
                String message = id + "-" + next;
                socket.sendText(message);
                switch (socket.read()) {
                    case Incoming.Text(String text) when text.endsWith(" " + message) -> {
                        echoedBy.merge(text.substring(0, text.indexOf(' ')), 1L, Long::sum);
                        next++;
                    }
                    case Incoming.Close(int status, String reason) when status == 1001 -> {
                        socket.sendClose(1000);
                        socket.close();
                        reconnects.incrementAndGet();
                        socket = RawWebSocket.connect(port, path); // the unanswered message is sent again
                    }
                    case Incoming other -> throw new IllegalStateException("after sending " + message + ": " + other);
                }
            }
            socket.sendClose(1000);
        } catch (Exception e) {
            failure = e;
        } finally {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(RawWebSocket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (java.io.IOException e) {
            // the run's result is what the test reads
        }
    }

    /** Asks the client to stop after the echo it waits for. */
    public void stop() {
        stop = true;
    }

    /** How many echoes came from the server of that name. */
    public long echoedBy(String server) {
        return echoedBy.getOrDefault(server, 0L);
    }

    /** How many times the client reconnected after a 1001. */
    public long reconnects() {
        return reconnects.get();
    }

    /** What ended the run, if not {@link #stop()}: a failed call. */
    public Exception failure() {
        return failure;
    }
}
