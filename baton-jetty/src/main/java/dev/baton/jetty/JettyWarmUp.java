package dev.baton.jetty;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;

/**
 * A warm-up of a started Jetty server before its generation says it is ready: requests sent through
 * a {@link LocalConnector} added to the same server for the time of the warm-up, so that they pass
 * through the server's whole handler chain (Baton's drain handler included) while no socket sees them.
 * The serving generation goes on serving meanwhile; this one's network connectors do not accept yet.
 *
 * <pre>{@code
 * server.start();
 * BatonJetty.warmUp(server).get("/").get("/health").rounds(200).atMost(Duration.ofSeconds(2)).run();
 * baton.ready();
 * }</pre>
 *
 * <p>A round sends each request once, in the order added. The warm-up ends after its rounds, or at its
 * time limit, or after a request that got no answer within the request timeout (the handler is stuck:
 * more requests would only wait as long). A failed request (an exception, no answer, or a status of 400
 * or more) is counted and logged, never thrown: a warm-up never fails the start.
 *
 * <p>Not thread-safe: configure and run it on one thread.
 */
public final class JettyWarmUp {

    private static final Logger LOG = System.getLogger(JettyWarmUp.class.getName());
    private static final String NO_ANSWER = "no answer within the request timeout";

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

    private final Server server;
    private final List<String> requests = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private int rounds = DEFAULT_ROUNDS;
    private Duration limit = DEFAULT_LIMIT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    JettyWarmUp(Server server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    /**
     * Adds {@code GET path} to each round.
     *
     * @param path an absolute path with an optional query, such as {@code /sleep?ms=0}
     * @throws IllegalArgumentException if {@code path} does not start with {@code /} or holds a space or a line break
     */
    public JettyWarmUp get(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c == ' ' || c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("a warm-up path must start with / and hold no space or line break: '"
                    + path + "'");
        }
        return request("GET " + path, "GET " + path + " HTTP/1.1\r\nHost: baton-warm-up\r\n\r\n");
    }

    /**
     * Adds a raw HTTP/1.1 request to each round, for a method, headers or a body that {@link #get} cannot say.
     *
     * @param rawRequest the request line, headers and body, with CRLF line ends
     * @throws IllegalArgumentException if it does not end its headers with an empty line
     */
    public JettyWarmUp request(String rawRequest) {
        Objects.requireNonNull(rawRequest, "rawRequest");
        if (!rawRequest.contains("\r\n\r\n")) {
            throw new IllegalArgumentException("a raw warm-up request must end its headers with CRLF CRLF");
        }
        return request(rawRequest.substring(0, rawRequest.indexOf("\r\n")), rawRequest);
    }

    private JettyWarmUp request(String label, String raw) {
        labels.add(label);
        requests.add(raw);
        return this;
    }

    /**
     * Sets how many times each request is sent (default {@value #DEFAULT_ROUNDS}).
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public JettyWarmUp rounds(int count) {
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
    public JettyWarmUp atMost(Duration duration) {
        this.limit = nonNegative(duration, "the warm-up's time limit");
        return this;
    }

    /**
     * Sets how long one request may take (default 5 s); a request without an answer by then ends the warm-up.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public JettyWarmUp requestTimeout(Duration timeout) {
        if (nonNegative(timeout, "the warm-up's request timeout").isZero()) {
            throw new IllegalArgumentException("the warm-up's request timeout must be positive");
        }
        this.requestTimeout = timeout;
        return this;
    }

    /**
     * Runs the warm-up and returns what it did; the local connector is gone from the server afterwards.
     * Failed requests are logged (the first one with its detail) and counted, never thrown.
     *
     * @throws IllegalStateException if the server is not started, or no request was added
     */
    public Result run() {
        if (!server.isStarted()) {
            throw new IllegalStateException("start the server before its warm-up; server is " + server.getState());
        }
        if (requests.isEmpty()) {
            throw new IllegalStateException("a warm-up needs a request: call get(path) first");
        }
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        LocalConnector local = new LocalConnector(server, new HttpConnectionFactory(httpConfiguration()));
        local.setName("baton-warm-up");
        int sent = 0;
        int failed = 0;
        String firstFailure = null;
        try {
            server.addConnector(local);
            if (!local.isStarted()) {
                local.start();
            }
            warmUp:
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < requests.size(); i++) {
                    if (System.nanoTime() - deadline > 0) {
                        break warmUp;
                    }
                    sent++;
                    String failure = send(local, requests.get(i), labels.get(i));
                    if (failure != null) {
                        failed++;
                        if (firstFailure == null) {
                            firstFailure = failure;
                            LOG.log(Level.WARNING, "warm-up request failed (the start goes on): " + failure);
                        }
                        if (failure.endsWith(NO_ANSWER)) {
                            break warmUp;
                        }
                    }
                }
            }
        } catch (Exception e) { // the connector could not start: no warm-up, but the start goes on
            failed++;
            firstFailure = "the warm-up connector could not start: " + e;
            LOG.log(Level.WARNING, "warm-up skipped (the start goes on): " + firstFailure, e);
        } finally {
            stop(local);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        LOG.log(failed == 0 ? Level.INFO : Level.WARNING, "warm-up: {0} request(s) through the handler chain in {1} ms, {2} failed",
                sent, elapsed.toMillis(), failed);
        return new Result(sent, failed, elapsed, Optional.ofNullable(firstFailure));
    }

    /** Sends one request; returns null if it succeeded, else what went wrong. */
    private String send(LocalConnector local, String raw, String label) {
        try {
            String response = local.getResponse(raw, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response == null || response.isEmpty()) {
                return label + ": " + NO_ANSWER;
            }
            int status = status(response);
            return status >= 200 && status < 400 ? null : label + " answered " + firstLine(response);
        } catch (Exception e) {
            return label + " failed: " + e;
        }
    }

    private static int status(String response) {
        String[] parts = firstLine(response).split(" ", 3);
        try {
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String firstLine(String response) {
        int end = response.indexOf("\r\n");
        return end < 0 ? response : response.substring(0, end);
    }

    /** The HTTP configuration of the server's own HTTP/1.1 connector, so that its customizers apply too. */
    private HttpConfiguration httpConfiguration() {
        for (Connector connector : server.getConnectors()) {
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                return http.getHttpConfiguration();
            }
        }
        return new HttpConfiguration();
    }

    private void stop(LocalConnector local) {
        try {
            local.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "could not stop the warm-up connector: " + e);
        }
        server.removeConnector(local);
    }

    private static Duration nonNegative(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + duration);
        }
        return duration;
    }
}
