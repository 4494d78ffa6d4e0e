package dev.baton.grpc;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A Netty server channel over a listening socket Baton already bound: binding it is a no-op, and it
 * accepts only once {@link ListenerChannels#startAccepting()} opened the gate.
 *
 * <p>grpc-java's {@code NettyServer} always calls {@code ServerBootstrap.bind(address)}, and Netty's
 * {@code NioServerSocketChannel.doBind} binds the Java channel, which throws
 * {@code AlreadyBoundException} on an inherited listener. So this subclass keeps the bootstrap's
 * bind call and skips the system call when the socket is already bound to that very address. The
 * channel is registered with auto-read off; {@code channelActive} then starts no accept until the
 * gate opens, and the kernel queues connections meanwhile, for the generation that serves.
 *
 * <p>Each accepted connection is an {@link AcceptedChannel}, so the drain can wait until every
 * connection accepted before the listener closed has been handed to gRPC (a connection still on its
 * way would otherwise be closed without a GOAWAY).
 */
final class ListenerServerChannel extends NioServerSocketChannel {

    private static final Logger LOG = System.getLogger(ListenerServerChannel.class.getName());

    private final ListenerChannels owner;

    ListenerServerChannel(ServerSocketChannel listener, boolean accepting, ListenerChannels owner) {
        super(listener);
        this.owner = owner;
        config().setAutoRead(accepting);
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        SocketAddress bound = javaChannel().getLocalAddress();
        if (bound == null) {
            throw new IllegalStateException("gRPC asked to bind " + localAddress + ", which is not one of the bound"
                    + " Baton listeners this server was given; build the server with BatonGrpc.serverBuilder(),"
                    + " add no listen address, and start it once, before it drains");
        }
        if (!bound.equals(localAddress)) {
            throw new IllegalStateException("gRPC asked to bind the Baton listener bound to " + bound + " to "
                    + localAddress + "; build the server with BatonGrpc.serverBuilder() and add no listen address");
        }
        LOG.log(Level.DEBUG, "listener {0} is bound already: not binding it again", bound);
    }

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        SocketChannel accepted = javaChannel().accept();
        if (accepted == null) {
            return 0;
        }
        try {
            buf.add(new AcceptedChannel(this, accepted, owner));
            return 1;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot serve a connection accepted on " + localAddress() + "; closed it", e);
            closeQuietly(accepted);
            return 0;
        }
    }

    private static void closeQuietly(SocketChannel accepted) {
        try {
            accepted.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing a connection that could not be served failed", e);
        }
    }
}
