package dev.baton.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.jetty.testing.RawHttpConnection;
import dev.baton.jetty.testing.RawHttpConnection.RawResponse;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** The readiness endpoint: 200 while the service serves, 503 from a final stop, the rest to the application. */
class ReadinessHandlerTest extends ServerTest {

    private int start(Handler handler) throws Exception {
        ServerSocketChannel listener = ProtocolServer.bound();
        Server server = new Server();
        server.addConnector(BatonJetty.connector(server, listener));
        server.setHandler(handler);
        var drainer = BatonJetty.manage(server);
        server.start();
        toClose.add(listener);
        toClose.add(server::stop);
        drainer.startAccepting();
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    private static Handler application() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                TestServer.answerOk(response, callback);
                return true;
            }
        };
    }

    @Test
    void ready_whileServing_answers200_otherPathsGoToTheApplication() throws Exception {
        ReadinessHandler readiness = new ReadinessHandler(application());
        int port = start(readiness);

        try (RawHttpConnection connection = new RawHttpConnection(port)) {
            RawResponse ready = connection.exchange("/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready\n");
            assertThat(ready.headers()).containsEntry("cache-control", "no-store");
            RawResponse other = connection.exchange("/shop");
            assertThat(other.status()).isEqualTo(200);
            assertThat(other.body()).isEqualTo("ok");
        }
    }

    @Test
    void ready_afterAFinalStopBegan_answers503_andTheApplicationStillServes() throws Exception {
        ReadinessHandler readiness = new ReadinessHandler("/healthz/ready", application());
        int port = start(readiness);

        readiness.stopping(1);

        try (RawHttpConnection connection = new RawHttpConnection(port)) {
            RawResponse ready = connection.exchange("/healthz/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("stopping\n");
            assertThat(connection.exchange("/").status()).isEqualTo(200);
        }
        assertThat(readiness.ready()).isFalse();
    }

    @Test
    void ready_handoverDrainAndUpgrade_neverTurnNotReady() {
        ReadinessHandler readiness = new ReadinessHandler(application());

        readiness.serving(2);
        readiness.drainingStarted(1);
        readiness.stopped(1, 0);

        assertThat(readiness.ready()).isTrue();
    }

    @Test
    void path_notStartingWithASlash_isRefusedNamingIt() {
        assertThatThrownBy(() -> new ReadinessHandler("ready", application()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("readiness path must start with '/', not 'ready'");
    }
}
