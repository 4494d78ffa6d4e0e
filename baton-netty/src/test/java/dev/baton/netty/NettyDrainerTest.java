package dev.baton.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.netty.testing.Http1Client;
import dev.baton.netty.testing.NettyTestServer;
import dev.baton.netty.testing.SharedSocket;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The HTTP/1.1 drain and the listener handling of the Netty adapter, on both transports. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyDrainerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private NettyTestServer start(Transport transport) throws Exception {
        return closing(NettyTestServer.start(transport));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_requestInFlight_completesWithConnectionCloseThenCloses(Transport transport) throws Exception {
        NettyTestServer server = start(transport);
        Http1Client client = closing(new Http1Client(server.port));
        assertThat(client.get("/").closesConnection()).isFalse();
        client.send("/slow");
        assertThat(server.service.slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> drained = server.drainer.drain();
        assertThat(drained).isNotDone();
        server.service.release();

        Http1Client.Response response = client.receive();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.closesConnection()).as("answered while draining").isTrue();
        assertThat(client.closedByServer()).isTrue();
        assertThat(drained).succeedsWithin(WAIT);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_idleKeepAlive_closedAfterTheGracePeriodNotBefore(Transport transport) throws Exception {
        NettyTestServer server = start(transport);
        Http1Client client = closing(new Http1Client(server.port));
        assertThat(client.get("/").status()).isEqualTo(200);

        long start = System.nanoTime();
        CompletableFuture<Void> drained = server.drainer.drain();
        assertThat(client.closedByServer()).isTrue();
        long closedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closedAfterMillis).as("closed after the 1 s grace period").isBetween(900L, 5_000L);
        assertThat(drained).succeedsWithin(WAIT);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_requestArrivesDuringGrace_answeredWithConnectionClose(Transport transport) throws Exception {
        NettyTestServer server = start(transport);
        Http1Client client = closing(new Http1Client(server.port));
        assertThat(client.get("/").status()).isEqualTo(200);

        server.drainer.drain();
        Http1Client.Response response = client.get("/");

        assertThat(response.status()).as("never a 503").isEqualTo(200);
        assertThat(response.closesConnection()).isTrue();
        assertThat(client.closedByServer()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_newConnectionPerRequest_everyRequestAnsweredByOneGenerationOrTheOther(Transport transport)
            throws Exception {
        ServerSocketChannel listener = SharedSocket.loopbackListener();
        NettyTestServer old = closing(new NettyTestServer(transport, listener, "old", null));
        NettyTestServer successor =
                closing(new NettyTestServer(transport, SharedSocket.adoptDuplicate(listener), "new", null));

        Set<String> servers = new HashSet<>();
        CompletableFuture<Void> drained = null;
        for (int i = 0; i < 200; i++) {
            if (i == 50) {
                drained = old.drainer.drain();
            }
            try (Http1Client client = new Http1Client(old.port)) {
                Http1Client.Response response = client.get("/");
                assertThat(response.status()).as("request %d", i).isEqualTo(200);
                servers.add(response.header("X-Server") + (i < 60 ? "" : " after drain"));
            }
        }

        assertThat(drained).succeedsWithin(WAIT);
        assertThat(servers).contains("new after drain").doesNotContain("old after drain");
        await().atMost(WAIT).until(() -> successor.drainer.openConnections() == 0);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_sharedListener_isNotShutDownForTheOtherHolders(Transport transport) throws Throwable {
        NettyTestServer server = start(transport);
        SharedSocket successor = closing(SharedSocket.duplicate(server.listener));

        assertThat(server.drainer.drain()).succeedsWithin(WAIT);

        try (java.net.Socket client = new java.net.Socket("127.0.0.1", server.port)) {
            assertThat(client.isConnected()).isTrue();
            assertThat(successor.acceptOne(5_000)).as("the other holder still accepts").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_closesEveryCopyOfTheListenerThisProcessHeld(Transport transport) throws Exception {
        NettyTestServer server = start(transport);
        int descriptor = SharedSocket.descriptor(server.listener);
        String socket = SharedSocket.target(descriptor);
        assertThat(socket).startsWith("socket:[");

        assertThat(server.drainer.drain()).succeedsWithin(WAIT);

        assertThat(server.channel.isOpen()).isFalse();
        assertThat(server.listener.isOpen()).isFalse();
        // The JDK closes a channel registered with a selector at the selector's next wake-up.
        await().atMost(WAIT).until(() -> !SharedSocket.target(descriptor).equals(socket));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void startAccepting_notCalled_connectionsWaitInTheQueueForTheServingGeneration(Transport transport)
            throws Throwable {
        ServerSocketChannel listener = closing(SharedSocket.loopbackListener());
        SharedSocket serving = closing(SharedSocket.duplicate(listener));
        io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                transport.ioHandlerFactory());
        toClose.add(() -> group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync());
        io.netty.channel.ServerChannel channel =
                BatonNetty.serverChannel(transport, listener, SharedSocket.descriptor(listener));
        List<io.netty.channel.Channel> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.netty.bootstrap.ServerBootstrap bootstrap = new io.netty.bootstrap.ServerBootstrap().group(group)
                .childHandler(new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void handlerAdded(io.netty.channel.ChannelHandlerContext ctx) {
                        accepted.add(ctx.channel());
                    }
                });
        BatonNetty.register(bootstrap, channel).sync();
        NettyDrainer drainer = BatonNetty.manage(channel);

        try (java.net.Socket client = new java.net.Socket("127.0.0.1", SharedSocket.port(listener))) {
            assertThat(client.isConnected()).isTrue();
            assertThat(serving.acceptOne(5_000)).as("left in the queue for the serving generation").isTrue();
        }
        assertThat(accepted).isEmpty();

        drainer.startAccepting();
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", SharedSocket.port(listener))) {
            assertThat(client.isConnected()).isTrue();
            await().atMost(WAIT).until(() -> accepted.size() == 1);
        }
        assertThat(drainer.drain()).succeedsWithin(WAIT);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void hammer_requestOutlivesTheDrain_closedAndCounted(Transport transport) throws Exception {
        NettyTestServer server = start(transport);
        Http1Client stuck = closing(new Http1Client(server.port));
        stuck.send("/slow");
        assertThat(server.service.slowArrived.await(10, TimeUnit.SECONDS)).isTrue();
        Http1Client idle = closing(new Http1Client(server.port));
        assertThat(idle.get("/").status()).isEqualTo(200);
        CompletableFuture<Void> drained = server.drainer.drain();
        assertThat(idle.closedByServer()).as("the idle one closes after the grace period").isTrue();

        int closed = server.drainer.hammer();

        assertThat(closed).isEqualTo(1);
        assertThat(stuck.closedByServer()).isTrue();
        assertThat(drained).succeedsWithin(WAIT);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drainHook_toldOnceWhenDrainingBegins(Transport transport) throws Exception {
        NettyTestServer server = start(transport);
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        server.drainer.addDrainListener(told::incrementAndGet);

        server.drainer.drain();
        server.drainer.drain();

        assertThat(told).hasValue(1);
    }

    static boolean isNonBlocking(ServerSocketChannel channel) throws IOException {
        return SharedSocket.isNonBlocking(SharedSocket.descriptor(channel));
    }
}
