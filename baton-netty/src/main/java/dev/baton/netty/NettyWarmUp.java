package dev.baton.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A warm-up of a Netty HTTP/1.1 server before its generation says it is ready: each request written
 * as bytes into an {@link EmbeddedChannel} set up by the application's own child handler (its
 * {@code ChannelInitializer}), so that it passes through the whole pipeline of a real connection,
 * codec and drain handler included, while no socket sees it. The serving generation goes on serving
 * meanwhile. The transport (NIO or epoll) itself is not warmed.
 *
 * <pre>{@code
 * ChannelInitializer<Channel> connections = ...; // the one given to ServerBootstrap.childHandler
 * BatonNetty.warmUp(connections).get("/").rounds(200).atMost(Duration.ofSeconds(2)).run();
 * baton.ready();
 * }</pre>
 *
 * <p>Each request has a connection of its own. A round sends each request once, in the order added. The
 * warm-up ends after its rounds, or at its time limit, or after a request that got no answer within
 * the request timeout. A failed request (an exception in the pipeline, no answer, or a status of 400 or
 * more) is counted and logged, never thrown: a warm-up never fails the start. Tasks the pipeline
 * schedules on its event loop (a delayed answer) run on the calling thread, at their time.
 *
 * <p>Not thread-safe: configure and run it on one thread.
 */
public final class NettyWarmUp {

    private static final Logger LOG = System.getLogger(NettyWarmUp.class.getName());
    private static final int MAX_RESPONSE = 1 << 20;
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** The rounds of a warm-up unless {@link #rounds} says otherwise. */
    public static final int DEFAULT_ROUNDS = 100;

    /** How long a warm-up may take unless {@link #atMost} says otherwise. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(10);

    /** How long one request may take unless {@link #requestTimeout} says otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /**
     * What a warm-up did.
     *
     * @param requests the requests sent
     * @param failed those that failed
     * @param elapsed how long the warm-up took
     * @param firstFailure what went wrong with the first failed request, if one failed
     */
    public record Result(int requests, int failed, Duration elapsed, Optional<String> firstFailure) {}

    private final ChannelHandler connectionSetup;
    private final List<String> paths = new ArrayList<>();
    private int rounds = DEFAULT_ROUNDS;
    private Duration limit = DEFAULT_LIMIT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    NettyWarmUp(ChannelHandler connectionSetup) {
        this.connectionSetup = Objects.requireNonNull(connectionSetup, "connectionSetup");
        if (!connectionSetup.getClass().isAnnotationPresent(ChannelHandler.Sharable.class)) { // as ChannelInitializer is
            throw new IllegalArgumentException("the warm-up sets up a connection per request: give it a "
                    + "ChannelInitializer or a @Sharable handler, not " + connectionSetup.getClass().getName());
        }
    }

    /**
     * Adds {@code GET path} (HTTP/1.1) to each round.
     *
     * @param path an absolute path with an optional query, such as {@code /sleep?ms=0}
     * @throws IllegalArgumentException if {@code path} does not start with {@code /} or holds a space or a line break
     */
    public NettyWarmUp get(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c == ' ' || c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("a warm-up path must start with / and hold no space or line break: '"
                    + path + "'");
        }
        paths.add(path);
        return this;
    }

    /**
     * Sets how many times each request is sent (default {@value #DEFAULT_ROUNDS}).
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public NettyWarmUp rounds(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("warm-up rounds must not be negative, was " + count);
        }
        this.rounds = count;
        return this;
    }

    /**
     * Sets the longest the warm-up may take (default 10 s); it ends after the request in flight then.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public NettyWarmUp atMost(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the warm-up's time limit must not be negative, was " + duration);
        }
        this.limit = duration;
        return this;
    }

    /**
     * Sets how long one request may take (default 5 s); a request without an answer by then ends the warm-up.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public NettyWarmUp requestTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the warm-up's request timeout must be positive, was " + timeout);
        }
        this.requestTimeout = timeout;
        return this;
    }

    /**
     * Runs the warm-up and returns what it did. Failed requests are logged (the first one with its
     * detail) and counted, never thrown.
     *
     * @throws IllegalStateException if no request was added
     */
    public Result run() {
        if (paths.isEmpty()) {
            throw new IllegalStateException("a warm-up needs a request: call get(path) first");
        }
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        int sent = 0;
        int failed = 0;
        String firstFailure = null;
        warmUp:
        for (int round = 0; round < rounds; round++) {
            for (String path : paths) {
                if (System.nanoTime() - deadline > 0) {
                    break warmUp;
                }
                sent++;
                Outcome outcome = send(path);
                if (outcome.failure() != null) {
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = outcome.failure();
                        LOG.log(Level.WARNING, "warm-up request failed (the start goes on): " + firstFailure);
                    }
                    if (outcome.timedOut()) {
                        break warmUp;
                    }
                }
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        LOG.log(failed == 0 ? Level.INFO : Level.WARNING,
                "warm-up: {0} request(s) through the pipeline in {1} ms, {2} failed", sent, elapsed.toMillis(), failed);
        return new Result(sent, failed, elapsed, Optional.ofNullable(firstFailure));
    }

    /** How one request went: {@code failure} is null if it succeeded. */
    private record Outcome(String failure, boolean timedOut) {}

    private Outcome send(String path) {
        String label = "GET " + path;
        EmbeddedChannel connection = new EmbeddedChannel(connectionSetup);
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(MAX_RESPONSE));
        try {
            connection.writeInbound(Unpooled.copiedBuffer("GET " + path + " HTTP/1.1\r\nHost: baton-warm-up\r\n\r\n",
                    StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + requestTimeout.toNanos();
            while (true) {
                for (ByteBuf bytes = connection.readOutbound(); bytes != null; bytes = connection.readOutbound()) {
                    client.writeInbound(bytes);
                }
                FullHttpResponse response = client.readInbound();
                if (response != null) {
                    int status = response.status().code();
                    response.release();
                    return new Outcome(status >= 200 && status < 400 ? null : label + " answered " + response.status(),
                            false);
                }
                connection.checkException();
                if (!connection.isOpen() && connection.outboundMessages().isEmpty()) {
                    return new Outcome(label + ": the pipeline closed the connection without an answer", false);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Outcome(label + ": no answer within the request timeout", true);
                }
                connection.runPendingTasks();
                long next = connection.runScheduledPendingTasks(); // nanos until the next task, or -1
                if (connection.outboundMessages().isEmpty()) {
                    LockSupport.parkNanos(Math.min(left, next < 0 ? MAX_PARK_NANOS : Math.min(next, MAX_PARK_NANOS)));
                }
            }
        } catch (RuntimeException e) { // an exception the pipeline raised, rethrown by the embedded channel
            return new Outcome(label + " failed: " + e, false);
        } finally {
            close(connection);
            close(client);
        }
    }

    private static void close(EmbeddedChannel channel) {
        try {
            channel.finishAndReleaseAll();
        } catch (RuntimeException e) { // the pipeline's own exception again, already counted
            LOG.log(Level.DEBUG, "closing a warm-up connection: " + e);
        }
    }
}
