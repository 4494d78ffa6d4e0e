package dev.baton.jetty;

import dev.baton.ManagedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The entry point of Baton's Jetty 12 adapter: connectors opened on Baton listeners, and the
 * {@link ManagedServer} of a server.
 *
 * <p>A static factory without state; every method may be called from any thread, before the server
 * starts.
 */
public final class BatonJetty {

    /** The idle grace period of {@link #manage(Server)}. */
    public static final Duration DEFAULT_IDLE_GRACE = Duration.ofSeconds(1);

    private BatonJetty() {}

    /**
     * Creates an HTTP/1.1 connector that accepts on the given listener.
     *
     * @see #connector(Server, ServerSocketChannel, ConnectionFactory...)
     */
    public static ServerConnector connector(Server server, ServerSocketChannel listener) {
        return connector(server, listener, new HttpConnectionFactory());
    }

    /**
     * Creates a connector that accepts on the given listener and speaks the given protocols (the
     * first is the default, as in {@link ServerConnector}).
     *
     * <p>The connector accepts on Jetty's acceptor threads, in blocking mode; it never binds a socket
     * of its own, so it cannot be started again once a drain has closed its listener. The caller adds
     * it to the server ({@link Server#addConnector}).
     *
     * @param server the server the connector belongs to
     * @param listener a bound TCP listener, such as one returned by Baton's {@code listen}; the
     *     connector owns this channel from now on and closes it when draining or stopping
     * @param factories the protocols; none means HTTP/1.1
     * @return a new connector, not yet added to the server
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code listener} is closed, not bound, or not a TCP listener
     *     (a Unix domain listener needs Jetty's {@code UnixDomainServerConnector}, not supported yet)
     * @throws java.io.UncheckedIOException if the listener cannot be configured
     */
    public static ServerConnector connector(
            Server server, ServerSocketChannel listener, ConnectionFactory... factories) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(factories, "factories");
        if (!listener.isOpen()) {
            throw new IllegalArgumentException("listener " + listener + " is closed");
        }
        InetSocketAddress address = tcpAddress(listener);
        ConnectionFactory[] protocols =
                factories.length == 0 ? new ConnectionFactory[] {new HttpConnectionFactory()} : factories;
        try {
            return new ListenerConnector(server, listener, address, protocols);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a Jetty connector on " + listener, e);
        }
    }

    /**
     * Puts a server under Baton's control, with the default idle grace period of one second.
     *
     * @see #manage(Server, Duration)
     */
    public static ManagedServer manage(Server server) {
        return manage(server, DEFAULT_IDLE_GRACE);
    }

    /**
     * Puts a server under Baton's control: its connectors accept only once Baton calls
     * {@link ManagedServer#startAccepting()} (when the generation serves; until then connections wait in
     * the listening socket's queue), and it drains as {@link ManagedServer#drain()} says. Installs, just
     * below the server, the handler that answers requests with {@code Connection: close} while draining.
     * Register the result with {@code Baton.register}.
     *
     * <p>Call it before {@link Server#start()}. If the server's handler is set or replaced after this
     * call, the drain handler is inserted again when the server starts; replacing the handler of a
     * running server removes it (the drainer then logs a warning when it drains, and kept-alive
     * connections are only closed once idle). Connectors made by
     * {@link #connector} are drained exactly as {@link dev.baton.ManagedServer} promises; other network
     * connectors are closed, and their connections drained the same way.
     *
     * @param server a server, not yet started, with its connectors added
     * @param idleGrace how long a connection must stay idle after draining began before it is
     *     closed; much shorter than the drain timeout, long enough for a request already on the wire
     *     to arrive (a second is a good value)
     * @return the managed server to register with Baton
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code idleGrace} is not positive
     * @throws IllegalStateException if the server is already started
     */
    public static ManagedServer manage(Server server, Duration idleGrace) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(idleGrace, "idleGrace");
        if (idleGrace.isNegative() || idleGrace.isZero()) {
            throw new IllegalArgumentException("idleGrace must be positive, was " + idleGrace);
        }
        if (!server.isStopped()) {
            throw new IllegalStateException(
                    "create the drainer before starting the server; server is " + server.getState());
        }
        DrainState state = new DrainState();
        DrainHandler handler = new DrainHandler(state);
        server.insertHandler(handler);
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (server.getDescendant(DrainHandler.class) != handler) {
                    server.insertHandler(handler);
                }
            }
        });
        return new JettyDrainer(server, state, idleGrace);
    }

    private static InetSocketAddress tcpAddress(ServerSocketChannel listener) {
        try {
            if (listener.getLocalAddress() instanceof InetSocketAddress address) {
                return address;
            }
            throw new IllegalArgumentException(
                    "listener " + listener + " is not a bound TCP listener; local address is "
                            + listener.getLocalAddress());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the local address of listener " + listener, e);
        }
    }
}
