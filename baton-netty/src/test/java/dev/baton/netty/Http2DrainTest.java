package dev.baton.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.netty.testing.H2cClient;
import dev.baton.netty.testing.InFlightRequest;
import dev.baton.netty.testing.NettyTestServer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/** The HTTP/2 drain (h2c): the two-step GOAWAY, streams in flight finish, then the connection closes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2DrainTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_priorKnowledgeStreamInFlight_bothGoAwaysThenTheStreamFinishesThenClose(Transport transport)
            throws Exception {
        try (NettyTestServer server = NettyTestServer.start(transport); H2cClient client = new H2cClient(server.port)) {
            assertThat(client.get("/").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            CompletableFuture<H2cClient.Response> slow = client.get("/slow");
            assertThat(server.service.slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> drained = server.drainer.drain();
            await().atMost(WAIT).until(() -> client.goAways.size() == 2);
            assertThat(slow).as("goaways %s", client.goAways).isNotDone();
            server.service.release();

            H2cClient.Response response = slow.get(10, TimeUnit.SECONDS);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
            assertThat(client.pings).hasSize(1);
            assertThat(client.goAways).as("first 2^31-1, then the last stream the server saw")
                    .containsExactly(Integer.MAX_VALUE, response.streamId());
            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).as("closed by the server").isTrue();
            assertThat(drained).succeedsWithin(WAIT);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_upgradedH2cRequestInFlight_finishesOverHttp2(Transport transport) throws Exception {
        try (NettyTestServer server = NettyTestServer.start(transport);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            // The JDK client asks for h2c by an HTTP/1.1 upgrade.
            InFlightRequest.survivesTheDrain(server, client, "http", HttpClient.Version.HTTP_2);
        }
    }
}
