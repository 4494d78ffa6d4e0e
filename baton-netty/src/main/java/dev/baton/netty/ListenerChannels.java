package dev.baton.netty;

import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;

/**
 * Makes Netty server channels over listening sockets that are already bound, without binding again.
 *
 * <p>NIO: {@code NioServerSocketChannel} wraps the JDK channel itself (and sets it non-blocking, as
 * Baton keeps every listener anyway). Epoll: {@code EpollServerSocketChannel} takes a descriptor and
 * closes it when the channel closes, so it gets a duplicate of its own, never Baton's descriptor (which
 * the JDK channel closes later: two owners would close one number twice, the second time perhaps
 * someone else's). Netty never sets O_NONBLOCK on a descriptor it is handed, and its edge-triggered
 * accept loop would block its event loop on a blocking socket, so it is set here on the open file
 * description, which the duplicate shares with every process holding the socket; the JDK's blocking
 * accept, which other generations may use, copes with EAGAIN.
 */
final class ListenerChannels {

    private ListenerChannels() {}

    static ServerChannel adopt(Transport transport, ServerSocketChannel listener, int descriptor) {
        transport.ensureAvailable();
        if (!listener.isOpen()) {
            throw new IllegalArgumentException("listener " + listener + " is closed");
        }
        ServerChannel channel;
        ConnectionTracker tracker;
        switch (transport) {
            case NIO -> {
                channel = new NioServerSocketChannel(listener);
                tracker = new ConnectionTracker(null);
            }
            case EPOLL -> {
                channel = epoll(listener, descriptor);
                tracker = new ConnectionTracker(listener);
            }
            default -> throw new AssertionError(transport);
        }
        // Accepting starts with ManagedServer.startAccepting(); until then connections wait in the queue.
        channel.config().setAutoRead(false);
        channel.pipeline().addFirst("baton-connection-tracker", tracker);
        return channel;
    }

    private static ServerChannel epoll(ServerSocketChannel listener, int descriptor) {
        if (descriptor < 0) {
            throw new IllegalArgumentException("descriptor must be a listener's descriptor, was " + descriptor);
        }
        int copy;
        try {
            copy = NativeDescriptors.duplicate(descriptor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot duplicate descriptor " + descriptor + " of listener "
                    + listener + " for Netty's epoll transport", e);
        }
        try {
            NativeDescriptors.setNonBlocking(copy);
            return new EpollServerSocketChannel(copy);
        } catch (IOException | RuntimeException e) {
            try {
                new FileDescriptor(copy).close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot make descriptor " + descriptor + " of listener "
                        + listener + " non-blocking for Netty's epoll transport", io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The tracker {@link #adopt} put into the channel's pipeline. */
    static ConnectionTracker tracker(ServerChannel channel) {
        ConnectionTracker tracker = channel.pipeline().get(ConnectionTracker.class);
        if (tracker == null) {
            throw new IllegalArgumentException("server channel " + channel
                    + " was not made by BatonNetty.serverChannel; Baton cannot drain it");
        }
        return tracker;
    }
}
