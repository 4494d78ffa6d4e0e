package dev.baton.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The h2c load of the demo job: closed-loop callers sharing a few of the JDK's {@code HttpClient}s
 * (HTTP/2 over cleartext, reached by {@code Upgrade: h2c}), so that each connection carries many
 * concurrent streams. A caller never retries a failed request; the client itself sends again only
 * the streams a GOAWAY declares unprocessed, which HTTP/2 makes safe (RFC 9113, section 6.8).
 */
final class H2cJobLoad implements JobLoad {

    static final String UNIT = "requests";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);
    private static final int CALLERS_PER_CLIENT = 8;

    private final LoadTally tally = new LoadTally();
    private final List<HttpClient> clients = new ArrayList<>();
    private final List<Thread> callers = new ArrayList<>();
    private final HttpRequest request;
    private final AtomicLong overHttp1 = new AtomicLong();
    private volatile boolean running = true;

    H2cJobLoad(int port, int callerCount) {
        request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(TIMEOUT).GET().build();
        int clientCount = (callerCount + CALLERS_PER_CLIENT - 1) / CALLERS_PER_CLIENT;
        for (int i = 0; i < clientCount; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(TIMEOUT).build());
        }
        for (int i = 0; i < callerCount; i++) {
            HttpClient client = clients.get(i % clientCount);
            callers.add(Thread.ofPlatform().daemon().name("demo-h2c-caller-" + i).start(() -> callInALoop(client)));
        }
    }

    private void callInALoop(HttpClient client) {
        while (running) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    tally.failed("status " + response.statusCode(), response.body().strip());
                } else {
                    if (response.version() != HttpClient.Version.HTTP_2) {
                        overHttp1.incrementAndGet(); // the upgrade was not taken: answered all the same
                    }
                    tally.answered(response.body());
                }
            } catch (IOException e) {
                tally.failed(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public String progressLine() {
        return tally.progressLine(UNIT);
    }

    @Override
    public int pidsSoFar() {
        return tally.pidsSoFar();
    }

    @Override
    public JobReport stop() throws InterruptedException {
        running = false;
        for (Thread caller : callers) {
            caller.join(STOP_WAIT);
        }
        LoadTally.Report report = tally.report("h2c (HTTP/2 cleartext), java.net.http.HttpClient, "
                + callers.size() + " callers on " + clients.size() + " clients, " + overHttp1.get()
                + " answered over HTTP/1.1", UNIT);
        close();
        return report;
    }

    @Override
    public void close() {
        running = false;
        clients.forEach(HttpClient::shutdownNow);
    }
}
