package dev.baton.netty.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The in-flight scenario of the drain tests: a slow request on the wire when the drain begins. */
public final class InFlightRequest {

    private InFlightRequest() {}

    /**
     * Sends {@code GET /slow} with {@code client}, drains {@code server} once the request arrived,
     * releases it, and checks that it was answered 200 over {@code version} and that the drain ended.
     */
    public static void survivesTheDrain(NettyTestServer server, HttpClient client, String scheme,
            HttpClient.Version version) throws Exception {
        URI slow = URI.create(scheme + "://127.0.0.1:" + server.port + "/slow");
        CompletableFuture<HttpResponse<String>> response =
                client.sendAsync(HttpRequest.newBuilder(slow).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(server.service.slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> drained = server.drainer.drain();
        server.service.release();

        HttpResponse<String> answered = response.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.version()).isEqualTo(version);
        assertThat(drained).succeedsWithin(Duration.ofSeconds(15));
    }
}
