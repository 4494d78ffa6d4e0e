package dev.baton.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The HTTP/2 loads of the demo job: closed-loop callers sharing a few of the JDK's {@code HttpClient}s,
 * so that each connection carries many concurrent streams; h2c (cleartext, reached by
 * {@code Upgrade: h2c}) or h2 (HTTPS, chosen by ALPN, trusting the demo's throwaway certificate). A
 * caller never retries a failed request; the client itself sends again the streams a GOAWAY declares
 * unprocessed (the server never saw them), which HTTP/2 makes safe (RFC 9113, section 6.8).
 */
final class Http2JobLoad extends LoopingJobLoad {

    static final String UNIT = "requests";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);
    private static final int CALLERS_PER_CLIENT = 8;

    private final List<HttpClient> clients = new ArrayList<>();
    private final HttpRequest request;
    private final AtomicLong overHttp1 = new AtomicLong();
    private final SSLContext tls;

    /**
     * Callers asking for {@code path} (such as {@code /}): h2 over TLS trusting {@code tls}'s certificate,
     * or h2c if {@code tls} is {@code null}.
     *
     * @throws UncheckedIOException if the certificate cannot be read
     */
    Http2JobLoad(int port, int callerCount, String path, DemoTls tls) {
        super(UNIT, STOP_WAIT);
        try {
            this.tls = tls == null ? null : tls.trustingClientContext();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        request = HttpRequest.newBuilder(URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port + path))
                .timeout(TIMEOUT).GET().build();
        int clientCount = (callerCount + CALLERS_PER_CLIENT - 1) / CALLERS_PER_CLIENT;
        for (int i = 0; i < clientCount; i++) {
            HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(TIMEOUT);
            clients.add((this.tls == null ? client : client.sslContext(this.tls)).build());
        }
        for (int i = 0; i < callerCount; i++) {
            HttpClient client = clients.get(i % clientCount);
            startLoop("demo-" + protocol() + "-caller-" + i, () -> callInALoop(client));
        }
    }

    private String protocol() {
        return tls == null ? "h2c" : "h2";
    }

    private void callInALoop(HttpClient client) {
        while (running()) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    tally.failed("status " + response.statusCode(), response.body().strip());
                } else if (response.version() != HttpClient.Version.HTTP_2 && tls != null) {
                    tally.failed("HTTP/1.1 by ALPN", "the server chose HTTP/1.1, not h2: " + response.body().strip());
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
    protected String description() {
        return (tls == null ? "h2c (HTTP/2 cleartext)" : "h2 (HTTPS, ALPN)") + ", java.net.http.HttpClient, "
                + loopCount() + " callers on " + clients.size() + " clients"
                + (tls == null ? ", " + overHttp1.get() + " answered over HTTP/1.1" : "");
    }

    @Override
    protected void closeClients() {
        clients.forEach(HttpClient::shutdownNow);
    }
}
