package dev.baton.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.netty.testing.NettyTestServer;
import dev.baton.netty.testing.WebSocketSession;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The WebSocket drain: close 1001 (going away) once the message in flight is answered, then close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketDrainTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_messageInFlight_answeredThenGoingAway1001ThenClosed(Transport transport) throws Exception {
        try (NettyTestServer server = NettyTestServer.start(transport);
                WebSocketSession session = new WebSocketSession(server.port, "/ws")) {
            session.send("hello");
            await().atMost(WAIT).until(() -> session.events.contains("text:server: hello"));
            session.send("slow");
            assertThat(server.service.slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> drained = server.drainer.drain();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> !session.closed.isDone());
            server.service.release();

            assertThat(session.closed).succeedsWithin(WAIT).isEqualTo(1001);
            assertThat(session.events).containsExactly("text:server: hello", "text:server: slow", "close:1001");
            assertThat(drained).succeedsWithin(WAIT);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_idleSession_goingAway1001AtOnce(Transport transport) throws Exception {
        try (NettyTestServer server = NettyTestServer.start(transport);
                WebSocketSession session = new WebSocketSession(server.port, "/ws")) {
            session.send("hello");
            await().atMost(WAIT).until(() -> session.events.contains("text:server: hello"));

            long start = System.nanoTime();
            CompletableFuture<Void> drained = server.drainer.drain();

            assertThat(session.closed).succeedsWithin(WAIT).isEqualTo(1001);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("not after the HTTP/1 idle grace").isLessThan(900);
            assertThat(drained).succeedsWithin(WAIT);
        }
    }
}
