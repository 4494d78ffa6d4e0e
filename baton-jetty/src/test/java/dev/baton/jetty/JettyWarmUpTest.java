package dev.baton.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ManagedServer;
import dev.baton.jetty.testing.RawHttpConnection;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The warm-up before ready: requests through the server's own handler chain that no socket sees. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JettyWarmUpTest {

    /** A request the application handler saw: its path and the kind of connector it came through. */
    private record Seen(String path, Class<?> connector) {}

    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stuckRelease = new CountDownLatch(1);
    private ServerSocketChannel listener;
    private Server server;
    private ManagedServer drainer;
    private int port;

    /** The application: {@code /broken} answers 500, {@code /throws} throws, {@code /stuck} waits; the rest answer ok. */
    private final class Application extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            seen.add(new Seen(path, request.getConnectionMetaData().getConnector().getClass()));
            switch (path) {
                case "/broken" -> {
                    response.setStatus(500);
                    callback.succeeded();
                }
                case "/throws" -> throw new IllegalStateException("the application is not warm yet");
                case "/stuck" -> {
                    stuckRelease.await(30, TimeUnit.SECONDS);
                    TestServer.answerOk(response, callback);
                }
                default -> TestServer.answerOk(response, callback);
            }
            return true;
        }
    }

    /** A managed server, started but not accepting yet: a generation before {@code ready()}. */
    private void startNotAccepting() throws Exception {
        listener = ProtocolServer.bound();
        port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        server = new Server();
        server.addConnector(BatonJetty.connector(server, listener));
        server.setHandler(new Application());
        drainer = BatonJetty.manage(server);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        stuckRelease.countDown();
        if (server != null) {
            server.stop();
        }
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void warmUp_beforeAccepting_sendsEveryRoundThroughTheHandlerChain_andNoLiveConnectionSeesIt() throws Exception {
        startNotAccepting();
        try (RawHttpConnection live = new RawHttpConnection(port)) {
            live.send("/live"); // waits in the listening socket's queue, as with a predecessor serving

            JettyWarmUp.Result result = BatonJetty.warmUp(server).get("/").get("/sleep?ms=0").rounds(3).run();

            assertThat(result.requests()).isEqualTo(6);
            assertThat(result.failed()).isZero();
            assertThat(result.firstFailure()).isEmpty();
            assertThat(List.copyOf(seen)).hasSize(6).allMatch(s -> s.connector() == LocalConnector.class)
                    .extracting(Seen::path).containsExactly("/", "/sleep", "/", "/sleep", "/", "/sleep");
            assertThat(server.getConnectors()).hasSize(1).allMatch(c -> !(c instanceof LocalConnector));

            drainer.startAccepting();
            RawHttpConnection.RawResponse answer = live.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("ok");
        }
        assertThat(List.copyOf(seen)).hasSize(7).last()
                .isEqualTo(new Seen("/live", ListenerConnector.class));
    }

    @Test
    void warmUp_requestsThatFail_areCountedAndNeverThrown_andTheServerServesAfterwards() throws Exception {
        startNotAccepting();

        JettyWarmUp.Result result = BatonJetty.warmUp(server).get("/broken").get("/throws").get("/").rounds(2).run();

        assertThat(result.requests()).isEqualTo(6);
        assertThat(result.failed()).isEqualTo(4);
        assertThat(result.firstFailure()).hasValueSatisfying(f -> assertThat(f).contains("GET /broken", "500"));
        drainer.startAccepting();
        try (RawHttpConnection live = new RawHttpConnection(port)) {
            assertThat(live.exchange("/").status()).isEqualTo(200);
        }
    }

    @Test
    void warmUp_aRequestWithoutAnswer_endsTheWarmUpAtItsTimeout() throws Exception {
        startNotAccepting();

        JettyWarmUp.Result result = BatonJetty.warmUp(server).get("/stuck").get("/").rounds(5)
                .requestTimeout(Duration.ofMillis(300)).run();

        assertThat(result.requests()).isEqualTo(1);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.firstFailure()).hasValueSatisfying(f -> assertThat(f).contains("GET /stuck", "no answer"));
    }

    @Test
    void warmUp_ofAServerNotStarted_throws_andBadPathsAreRefused() {
        Server notStarted = new Server();

        assertThatThrownBy(() -> BatonJetty.warmUp(notStarted).get("/").run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("start the server");
        assertThatThrownBy(() -> BatonJetty.warmUp(notStarted).get("no-slash"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with /");
        assertThatThrownBy(() -> BatonJetty.warmUp(notStarted).rounds(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
