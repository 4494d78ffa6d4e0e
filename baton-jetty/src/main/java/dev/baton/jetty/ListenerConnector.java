package dev.baton.jetty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A Jetty connector that accepts on a listener Baton handed over, and can stop accepting without
 * losing a connection it accepted at that instant.
 *
 * <p>It accepts on acceptor threads in blocking mode (Jetty's default, at least one thread). To stop
 * accepting it first tells the acceptors not to accept again ({@code setAccepting(false)}: idle
 * acceptors park instead of spinning on a closed channel), then closes its channel: an acceptor
 * blocked in {@code accept} wakes with {@code AsynchronousCloseException} and Jetty ends it quietly,
 * since the connector is no longer open. Closing a channel never calls {@code shutdown()}, so the
 * other holders of the socket keep accepting. A connection the kernel handed over at the instant of
 * the close is served; {@link #isAcceptQuiet()} says when every such connection is registered with
 * the connector, so that a drain does not end before it is served. (Jetty's own graceful shutdown
 * interrupts the acceptors instead; an interrupt racing a completed {@code accept} makes the JDK
 * throw {@code ClosedByInterruptException} and drop the accepted socket.)
 *
 * <p>Thread-safe: acceptor, selector and drainer threads use it concurrently.
 */
final class ListenerConnector extends ServerConnector {

    private final AtomicInteger acceptorsInAccept = new AtomicInteger();
    private final Set<SelectableChannel> registering = ConcurrentHashMap.newKeySet();

    ListenerConnector(Server server, ServerSocketChannel listener, InetSocketAddress address, ConnectionFactory... factories)
            throws IOException {
        super(server, -1, -1, factories);
        setHost(address.getAddress().getHostAddress());
        setPort(address.getPort());
        getSelectorManager().addEventListener(new Registrations());
        open(listener);
    }

    @Override
    public void accept(int acceptorID) throws IOException {
        acceptorsInAccept.incrementAndGet();
        try {
            super.accept(acceptorID);
        } finally {
            acceptorsInAccept.decrementAndGet();
        }
    }

    @Override
    protected void onEndPointOpened(EndPoint endPoint) {
        super.onEndPointOpened(endPoint);
        if (endPoint.getTransport() instanceof SelectableChannel channel) {
            registering.remove(channel);
        }
    }

    @Override
    protected ServerSocketChannel openAcceptChannel() throws IOException {
        throw new IOException(this + " accepts only on the listener it was given, which is closed;"
                + " a drained Baton connector cannot start again");
    }

    /**
     * Stops accepting and closes this process's copy of the listener.
     *
     * @throws IOException if closing the channel fails
     */
    void stopAccepting() throws IOException {
        setAccepting(false);
        if (getTransport() instanceof ServerSocketChannel listener) {
            listener.close();
        }
    }

    /**
     * Whether no acceptor is inside {@code accept} and every connection accepted so far is registered
     * with the connector (so counted in {@link #getConnectedEndPoints()}, or already closed).
     */
    boolean isAcceptQuiet() {
        // Read the acceptors first: an accepted socket joins `registering` before its acceptor leaves accept().
        return acceptorsInAccept.get() == 0 && registering.isEmpty();
    }

    /** Follows accepted sockets from the acceptor until their end point opens or the registration fails. */
    private final class Registrations implements SelectorManager.AcceptListener {
        @Override
        public void onAccepting(SelectableChannel channel) {
            registering.add(channel);
        }

        @Override
        public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
            registering.remove(channel);
        }
    }
}
