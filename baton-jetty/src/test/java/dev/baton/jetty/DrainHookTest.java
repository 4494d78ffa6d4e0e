package dev.baton.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.ManagedServer;
import dev.baton.jetty.testing.H2cClient;
import dev.baton.jetty.testing.H2cClient.Answer;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** The hook that tells the application a drain began, so that it ends its long-lived streams itself. */
class DrainHookTest extends ServerTest {



    /** A stream of events that sends "tick" at once and ends with "reconnect" when told to. */
    private static final class Events extends Handler.Abstract {
        final Queue<Runnable> open = new ConcurrentLinkedQueue<>();

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(200);
            response.write(false, utf8("tick\n"), Callback.from(
                    () -> open.add(() -> response.write(true, utf8("reconnect\n"), callback)), callback::failed));
            return true;
        }

        void endAll() {
            for (Runnable end = open.poll(); end != null; end = open.poll()) {
                end.run();
            }
        }

        private static ByteBuffer utf8(String text) {
            return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private record Started(Server server, ManagedServer drainer, int port) {}

    private Started start(Handler handler) throws Exception {
        ServerSocketChannel listener = ProtocolServer.bound();
        Server server = new Server();
        server.addConnector(BatonJetty.h2cConnector(server, listener));
        server.setHandler(handler);
        ManagedServer drainer = BatonJetty.manage(server, Duration.ofSeconds(1));
        server.start();
        toClose.add(listener);
        toClose.add(server::stop);
        drainer.startAccepting();
        return new Started(server, drainer, ((java.net.InetSocketAddress) listener.getLocalAddress()).getPort());
    }

    @Test
    void onDrain_longLivedStreamOpen_hookEndsItWithAMessageItsClientUnderstands_noCutAtTheTimeout() throws Exception {
        Events events = new Events();
        Started started = start(events);
        BatonJetty.onDrain(started.server(), events::endAll);
        H2cClient client = H2cClient.connect(started.port());
        toClose.add(client);
        CompletableFuture<Answer> stream = client.get("/events");
        await().atMost(WAIT).until(() -> !events.open.isEmpty());

        CompletableFuture<Void> drained = started.drainer().drain();

        Answer answer = stream.get(10, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("tick\nreconnect\n");
        assertThat(drained).as("ended by the application, long before any drain timeout").succeedsWithin(WAIT);
        assertThat(client.controls()).noneMatch(H2cClient.Control.Reset.class::isInstance);
    }

    @Test
    void onDrain_addedAfterDrainBegan_runsAtOnce() throws Exception {
        Started started = start(new Events());
        started.drainer().drain();
        AtomicInteger runs = new AtomicInteger();

        BatonJetty.onDrain(started.server(), runs::incrementAndGet);

        assertThat(runs).hasValue(1);
    }

    @Test
    void onDrain_hookThrows_drainGoesOnAndOtherHooksRun() throws Exception {
        Started started = start(new Events());
        AtomicInteger runs = new AtomicInteger();
        BatonJetty.onDrain(started.server(), () -> {
            throw new IllegalStateException("a broken hook");
        });
        BatonJetty.onDrain(started.server(), runs::incrementAndGet);

        assertThat(started.drainer().drain()).succeedsWithin(WAIT);
        assertThat(runs).hasValue(1);
    }

    @Test
    void onDrain_serverNotManaged_throwsIllegalStateNamingTheFix() {
        assertThatThrownBy(() -> BatonJetty.onDrain(new Server(), () -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BatonJetty.manage");
        assertThatThrownBy(() -> BatonJetty.webSockets(new Server()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BatonJetty.manage");
    }

    @Test
    void manage_calledTwice_throwsIllegalState() {
        Server server = new Server();
        BatonJetty.manage(server);
        assertThatThrownBy(() -> BatonJetty.manage(server))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already managed");
    }
}
