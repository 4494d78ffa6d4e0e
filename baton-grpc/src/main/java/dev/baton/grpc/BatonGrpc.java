package dev.baton.grpc;

import dev.baton.Baton;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One gRPC server on Baton listeners: the {@link NettyServerBuilder} that serves on them without
 * binding, the standard health service, the {@link DrainSignal} its services use, and the
 * {@link GrpcManagedServer} Baton drains.
 *
 * <pre>{@code
 * BatonGrpc grpc = BatonGrpc.on(baton.listen("grpc", ":50051"));
 * Server server = grpc.serverBuilder().addService(new MyService(grpc.drainSignal())).build().start();
 * grpc.register(baton, server);   // accepts once this generation serves; drains with GOAWAY
 * baton.ready();
 * }</pre>
 *
 * <p>grpc-java's {@code NettyServer} always binds: it calls {@code ServerBootstrap.bind(address)} for
 * each listen address. Rather than bind a second socket, the builder is given a channel factory whose
 * channels wrap the listeners Baton handed over (as Netty's {@code NioServerSocketChannel} does a
 * channel it is given) and whose bind is a no-op on a socket already bound to that address; the
 * builder's listen addresses are the listeners' own. So the server accepts on the very kernel socket
 * the other generations share, and Netty's NIO transport needs nothing beyond the JDK's channel.
 *
 * <p>Each instance serves one server; its methods may be called from any thread.
 */
public final class BatonGrpc {

    private final List<InetSocketAddress> addresses;
    private final ListenerChannels channels;
    private final DrainSignal signal = new DrainSignal();
    private final CallTracker tracker = new CallTracker(signal);
    private final HealthStatusManager health = new HealthStatusManager();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private boolean built;
    private GrpcManagedServer managed;

    private BatonGrpc(List<ServerSocketChannel> listeners, List<InetSocketAddress> addresses) {
        this.addresses = List.copyOf(addresses);
        this.channels = new ListenerChannels(listeners);
        // grpc-java takes a custom channel factory only with event loops of the same transport.
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("baton-grpc-boss", true),
                NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("baton-grpc-worker", true),
                NioIoHandler.newFactory());
    }

    /**
     * Prepares a gRPC server that serves on the given listeners, such as those Baton's {@code listen}
     * returned. The server owns them from its start: its drain closes them (never with {@code shutdown()}).
     *
     * @throws NullPointerException if {@code listeners} or one of them is null
     * @throws IllegalArgumentException if none is given, or one is closed, unbound or not a TCP
     *     listener (gRPC over a Unix domain listener needs Netty's epoll transport: not supported yet)
     */
    public static BatonGrpc on(ServerSocketChannel... listeners) {
        Objects.requireNonNull(listeners, "listeners");
        if (listeners.length == 0) {
            throw new IllegalArgumentException("BatonGrpc.on needs at least one listener");
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (ServerSocketChannel listener : listeners) {
            addresses.add(tcpAddress(Objects.requireNonNull(listener, "listener")));
        }
        return new BatonGrpc(List.of(listeners), addresses);
    }

    /**
     * The builder of the server: it serves on this instance's listeners, with the health service and
     * Baton's call tracking installed. Add services and settings, but no listen address, channel
     * type, channel factory or event loop group.
     *
     * @throws IllegalStateException if called twice
     */
    public synchronized NettyServerBuilder serverBuilder() {
        if (built) {
            throw new IllegalStateException("serverBuilder() was called already; use one BatonGrpc per server");
        }
        built = true;
        NettyServerBuilder builder = NettyServerBuilder.forAddress(addresses.getFirst());
        for (SocketAddress address : addresses.subList(1, addresses.size())) {
            builder.addListenAddress(address);
        }
        return builder.channelFactory(channels)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .addTransportFilter(tracker)
                .intercept(tracker)
                .addService(health.getHealthService());
    }

    /** What the server's services learn of a drain, and the helper that ends their long-lived streams. */
    public DrainSignal drainSignal() {
        return signal;
    }

    /**
     * The health service's status manager: every service of the server, and the server as a whole
     * ({@code ""}), answer SERVING from {@link #manage} on; a final stop turns them NOT_SERVING.
     */
    public HealthStatusManager health() {
        return health;
    }

    /**
     * Puts the server under Baton's control: register the result with {@code Baton.register} and
     * {@code Baton.addLifecycleListener}, or call {@link #register} instead.
     *
     * @param server the server built from {@link #serverBuilder()}, started or not
     * @throws NullPointerException if {@code server} is null
     * @throws IllegalStateException if {@link #serverBuilder()} was not called, or a server is managed already
     */
    public synchronized GrpcManagedServer manage(Server server) {
        Objects.requireNonNull(server, "server");
        if (!built) {
            throw new IllegalStateException("build the server from serverBuilder() before managing it");
        }
        if (managed != null) {
            throw new IllegalStateException("a server is managed already; use one BatonGrpc per server");
        }
        for (ServerServiceDefinition service : server.getServices()) {
            String name = service.getServiceDescriptor().getName();
            if (!name.equals(HealthGrpc.SERVICE_NAME)) {
                health.setStatus(name, ServingStatus.SERVING);
            }
        }
        managed = new GrpcManagedServer(server, channels, tracker, signal, health, List.of(boss, workers));
        return managed;
    }

    /**
     * Manages the server ({@link #manage}) and registers it with Baton, both as the server it drains
     * and as a lifecycle listener.
     *
     * @return the managed server
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException as {@link #manage} says
     */
    public GrpcManagedServer register(Baton baton, Server server) {
        Objects.requireNonNull(baton, "baton");
        GrpcManagedServer result = manage(server);
        baton.addLifecycleListener(result);
        baton.register(result);
        return result;
    }

    /** How many connections and calls the server holds now, for tests and logs. */
    int openConnections() {
        return tracker.openConnections();
    }

    int openCalls() {
        return tracker.openCalls();
    }

    private static InetSocketAddress tcpAddress(ServerSocketChannel listener) {
        if (!listener.isOpen()) {
            throw new IllegalArgumentException("listener " + listener + " is closed");
        }
        SocketAddress address;
        try {
            address = listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the local address of listener " + listener, e);
        }
        if (address instanceof InetSocketAddress inet) {
            return inet;
        }
        throw new IllegalArgumentException("listener " + listener + " is not a bound TCP listener (local address "
                + address + "); gRPC on Baton serves on TCP listeners only");
    }
}
