package dev.baton.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first handler of an adopted server channel's pipeline: it sees every accepted connection (the
 * server pipeline reads child channels) before Netty's acceptor registers it, keeps it in a set until
 * it closes, and puts a {@link DrainWatcher} first in its pipeline.
 *
 * <p>Thread-safe: the server channel's event loop adds connections, their own loops remove them, the
 * drainer reads the set and flags the drain from any thread.
 */
final class ConnectionTracker extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(ConnectionTracker.class.getName());

    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final ServerSocketChannel listenerCopy;
    private volatile boolean draining;
    private volatile Runnable onChange = () -> { };

    /**
     * @param listenerCopy the JDK channel of the listener, when the Netty channel accepts on a
     *     duplicate of its descriptor (epoll): closed too when draining, so that this process keeps no
     *     copy; null when the Netty channel wraps it (NIO)
     */
    ConnectionTracker(ServerSocketChannel listenerCopy) {
        this.listenerCopy = listenerCopy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child) {
            connections.add(child);
            child.pipeline().addFirst("baton-drain-watcher", new DrainWatcher(this));
            child.closeFuture().addListener(closed -> {
                connections.remove(child);
                onChange.run();
            });
        }
        ctx.fireChannelRead(msg);
    }

    /** Called whenever a connection closes, or the listener is closed. */
    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    boolean isDraining() {
        return draining;
    }

    List<Channel> connections() {
        return List.copyOf(connections);
    }

    /**
     * Closes this process's copy of the listener (never {@code shutdown()}) and tells every connection
     * that draining began.
     */
    void startDraining(ServerChannel server) {
        draining = true;
        server.close().addListener(closed -> {
            if (listenerCopy != null) {
                try {
                    listenerCopy.close();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "closing the JDK channel of listener " + listenerCopy + " failed", e);
                }
            }
            onChange.run();
        });
        for (Channel connection : connections) {
            // An unregistered connection is told when it becomes active (DrainWatcher.channelActive).
            if (connection.isRegistered()) {
                DrainWatcher watcher = connection.pipeline().get(DrainWatcher.class);
                if (watcher != null) {
                    connection.eventLoop().execute(watcher::drainIfActive);
                }
            }
        }
    }
}
