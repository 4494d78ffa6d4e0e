package dev.baton.spring.sample;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Polls Actuator readiness every 20 ms as a probe would, on a new connection per poll and on one kept-alive
 * connection (which reconnects only after {@code Connection: close}), until closed; keeps every answer that
 * was not 200 and every connection that failed.
 */
final class ReadinessPoller implements AutoCloseable {

    static final String READINESS = "/actuator/health/readiness";

    private final int port;
    private final AtomicBoolean polling = new AtomicBoolean(true);
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private final List<String> notUp = new CopyOnWriteArrayList<>();
    private final Thread fresh;
    private final Thread keptAlive;

    private ReadinessPoller(int port) {
        this.port = port;
        this.fresh = Thread.ofPlatform().name("readiness-new-connection").start(() -> poll(false));
        this.keptAlive = Thread.ofPlatform().name("readiness-kept-alive").start(() -> poll(true));
    }

    static ReadinessPoller start(int port) {
        return new ReadinessPoller(port);
    }

    /** How many polls were answered (200 or not). */
    int answers() {
        return statuses.size();
    }

    /** The answers other than 200, and the failed connections. */
    List<String> notUp() {
        return List.copyOf(notUp);
    }

    private void poll(boolean keepAlive) {
        Http connection = null;
        try {
            while (polling.get()) {
                try {
                    if (connection == null) {
                        connection = new Http(port);
                    }
                    Http.Answer answer = connection.send(READINESS);
                    statuses.add(answer.status());
                    if (answer.status() != 200) {
                        notUp.add(answer.toString());
                    }
                    if (!keepAlive || answer.closes()) {
                        connection.close();
                        connection = null;
                    }
                } catch (IOException e) {
                    notUp.add((keepAlive ? "kept-alive: " : "new connection: ") + e);
                    connection = null;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // the poll is over
                }
            }
        }
    }

    /** Stops polling and waits for both pollers; stopping twice is harmless. */
    void stop() {
        polling.set(false);
        try {
            fresh.join(TimeUnit.SECONDS.toMillis(60));
            keptAlive.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
