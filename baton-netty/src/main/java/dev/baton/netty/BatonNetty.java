package dev.baton.netty;

import dev.baton.Baton;
import dev.baton.Listener;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.handler.ssl.SslContext;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entry point of Baton's Netty 4.2 adapter: server channels over Baton listeners, registered
 * with a {@link ServerBootstrap} instead of bound, and the {@link NettyDrainer} of a server.
 *
 * <p>A static factory without state; every method may be called from any thread.
 */
public final class BatonNetty {

    private BatonNetty() {}

    /**
     * Makes a Netty server channel that accepts on a Baton listener, on the given transport.
     *
     * @see #serverChannel(Transport, ServerSocketChannel, int)
     */
    public static ServerChannel serverChannel(Transport transport, Listener listener) {
        Objects.requireNonNull(listener, "listener");
        return serverChannel(transport, listener.channel(), listener.descriptor());
    }

    /**
     * Makes a Netty server channel that accepts on an already bound listening socket; it never binds.
     * The channel does not read (accept) until {@link NettyDrainer#startAccepting()}.
     *
     * <p>On {@link Transport#NIO} the Netty channel wraps {@code listener} and owns it from now on; on
     * {@link Transport#EPOLL} it accepts on a duplicate of {@code descriptor}, and both are closed
     * when draining. Either way O_NONBLOCK is set on the socket (shared by every process holding it).
     *
     * @param transport the transport of the event loops the channel will be registered with
     * @param listener a bound TCP listener, such as {@link Listener#channel()}
     * @param descriptor the listener's descriptor ({@link Listener#descriptor()}); used by epoll only
     * @return a channel, not registered yet: pass it to {@link #register}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the listener is closed, or the descriptor negative (epoll)
     * @throws IllegalStateException if the transport is not available here, saying why
     * @throws java.io.UncheckedIOException if the descriptor cannot be duplicated or configured
     */
    public static ServerChannel serverChannel(Transport transport, ServerSocketChannel listener, int descriptor) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(listener, "listener");
        return ListenerChannels.adopt(transport, listener, descriptor);
    }

    /**
     * Registers a server channel made by {@link #serverChannel} through a configured bootstrap, in
     * place of {@code bind()}.
     *
     * <p>{@code ServerBootstrap.bind()} always binds; {@code register()} does everything else it does:
     * it applies the bootstrap's options and attributes, puts its handler and the acceptor of child
     * channels (with the child handler, options and attributes) into the server pipeline, and registers
     * the channel with the bootstrap's group. Since the socket is bound already, the channel is active
     * once registered; with {@code AUTO_READ} off it accepts nothing until the drainer starts accepting.
     * This sets the bootstrap's channel factory to return {@code channel}, and its {@code AUTO_READ}
     * option to false.
     *
     * @param bootstrap a bootstrap with its groups (made with the channel's {@link Transport}) and child
     *     handler set
     * @param channel a channel from {@link #serverChannel}
     * @return the registration future
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the channel was not made by {@link #serverChannel}
     * @throws IllegalStateException if the bootstrap lacks its group or child handler
     */
    public static ChannelFuture register(ServerBootstrap bootstrap, ServerChannel channel) {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(channel, "channel");
        ListenerChannels.tracker(channel);
        ChannelFactory<ServerChannel> factory = () -> channel;
        bootstrap.channelFactory(factory);
        bootstrap.option(ChannelOption.AUTO_READ, false);
        return bootstrap.register();
    }

    /**
     * Puts the server that accepts on these channels under Baton's control; register the result with
     * {@code Baton.register}.
     *
     * <p>Each child pipeline gets a handler that fires {@link DrainEvent} when the drain begins; add the
     * drain handler of each protocol the server speaks ({@link Http1DrainHandler} after the
     * {@code HttpServerCodec}, {@link Http2DrainHandler} after the {@code Http2FrameCodec},
     * {@link WebSocketDrainHandler} after the {@code WebSocketServerProtocolHandler}).
     *
     * @param channels the server channels, made by {@link #serverChannel}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if no channel is given, or one was not made by {@link #serverChannel}
     */
    public static NettyDrainer manage(ServerChannel... channels) {
        Objects.requireNonNull(channels, "channels");
        return manage(List.of(channels));
    }

    /** Like {@link #manage(ServerChannel...)}. */
    public static NettyDrainer manage(List<? extends ServerChannel> channels) {
        Objects.requireNonNull(channels, "channels");
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("manage needs at least one server channel");
        }
        List<ServerChannel> listeners = List.copyOf(channels);
        List<ConnectionTracker> trackers = new ArrayList<>();
        for (ServerChannel channel : listeners) {
            trackers.add(ListenerChannels.tracker(channel));
        }
        return new NettyDrainer(listeners, trackers);
    }

    /**
     * A server TLS context from PEM files, offering HTTP/2 and HTTP/1.1 by ALPN ({@code h2},
     * {@code http/1.1}). Load it again at each start, so that a renewed certificate is served after a
     * reload.
     *
     * @param certificateChain the PEM certificate chain, the server's certificate first
     * @param privateKey the PEM private key (PKCS#8, unencrypted) of that certificate
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a file cannot be read or parsed, or the key does not match
     *     the certificate; the message names both files
     */
    public static SslContext tls(Path certificateChain, Path privateKey) {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        return TlsContexts.server(certificateChain, privateKey);
    }

    /**
     * Starts describing a warm-up before ready: HTTP/1.1 requests through the pipeline that
     * {@code connectionSetup} builds, on embedded connections no socket sees (see {@link NettyWarmUp}).
     *
     * @param connectionSetup the application's child handler, as given to {@code ServerBootstrap.childHandler}
     * @throws NullPointerException if {@code connectionSetup} is null
     * @throws IllegalArgumentException if it is not {@code @Sharable} (a {@code ChannelInitializer} is)
     */
    public static NettyWarmUp warmUp(ChannelHandler connectionSetup) {
        return new NettyWarmUp(connectionSetup);
    }

    /**
     * A {@link ReadinessHandler} at {@value ReadinessHandler#DEFAULT_PATH} that hears {@code baton}'s
     * lifecycle: {@code 200} while the service serves, {@code 503} from the moment a final stop begins. One
     * instance serves every connection; add it after the {@code HttpObjectAggregator}.
     */
    public static ReadinessHandler readiness(Baton baton) {
        Objects.requireNonNull(baton, "baton");
        ReadinessHandler readiness = new ReadinessHandler();
        baton.addLifecycleListener(readiness);
        return readiness;
    }
}
