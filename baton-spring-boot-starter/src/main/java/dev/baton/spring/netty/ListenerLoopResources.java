package dev.baton.spring.netty;

import dev.baton.Listener;
import dev.baton.netty.BatonNetty;
import dev.baton.netty.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The loop resources of a Reactor Netty server on a Baton listener: those of {@code loops} (looked up
 * at each call, as Spring's resource factory makes them when it starts), except that the TCP server
 * channel is Baton's listener, adopted once through baton-netty. It never binds: a handler first in its
 * pipeline completes Reactor Netty's {@code bind} at once, since the socket is bound (by this generation
 * on a cold start, by the first one on an upgrade). Disposing is left to the loops' owner.
 *
 * <p>Thread-safe.
 */
final class ListenerLoopResources implements LoopResources {

    private static final Logger LOG = System.getLogger(ListenerLoopResources.class.getName());

    private final Supplier<LoopResources> loops;
    private final Listener listener;
    private final Consumer<ServerChannel> adopted;
    private final AtomicBoolean handedOut = new AtomicBoolean();

    /**
     * @param adopted called with the server channel once it is made, to register its drainer
     */
    ListenerLoopResources(Supplier<LoopResources> loops, Listener listener, Consumer<ServerChannel> adopted) {
        this.loops = loops;
        this.listener = listener;
        this.adopted = adopted;
    }

    @Override
    public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
        if (!ServerSocketChannel.class.equals(channelType)) {
            return loops.get().onChannel(channelType, group);
        }
        if (!handedOut.compareAndSet(false, true)) {
            throw new IllegalStateException("Baton's listener " + listener + " was handed to Reactor Netty once"
                    + " already; a web server started again cannot accept on it (restart the application instead)");
        }
        ServerChannel channel = BatonNetty.serverChannel(transport(group), listener);
        channel.pipeline().addFirst("baton-bound-already", new BoundAlready());
        adopted.accept(channel);
        return channelType.cast(channel);
    }

    /** The transport of the channel class Reactor Netty would have made for {@code group}. */
    private Transport transport(EventLoopGroup group) {
        Class<? extends ServerSocketChannel> type = loops.get().onChannelClass(ServerSocketChannel.class, group);
        if (EpollServerSocketChannel.class.isAssignableFrom(type)) {
            return Transport.EPOLL;
        }
        if (NioServerSocketChannel.class.isAssignableFrom(type)) {
            return Transport.NIO;
        }
        throw new IllegalStateException("Baton runs Reactor Netty on Netty's NIO or epoll transport, but it chose "
                + type.getName() + "; remove that transport from the class path, or start the JVM with"
                + " -Dreactor.netty.native=false (NIO)");
    }

    @Override
    public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
        return loops.get().onChannelClass(channelType, group);
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return loops.get().onServer(useNative);
    }

    @Override
    public EventLoopGroup onServerSelect(boolean useNative) {
        return loops.get().onServerSelect(useNative);
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return loops.get().onClient(useNative);
    }

    @Override
    public boolean daemon() {
        return loops.get().daemon();
    }

    @Override
    public boolean isDisposed() {
        return loops.get().isDisposed();
    }

    /** Not this wrapper's to dispose: the loops belong to the resource factory, or to Reactor Netty. */
    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.empty();
    }

    /** Completes a bind of the listener, which is bound already, without the system call (which would fail). */
    private static final class BoundAlready extends ChannelOutboundHandlerAdapter {

        @Override
        public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
            LOG.log(Level.DEBUG, "Reactor Netty binds {0}: the Baton listener {1} is bound already",
                    localAddress, ctx.channel().localAddress());
            promise.setSuccess();
        }
    }
}
