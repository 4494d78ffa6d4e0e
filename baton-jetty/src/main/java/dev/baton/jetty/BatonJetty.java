package dev.baton.jetty;

import dev.baton.Baton;
import dev.baton.ManagedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;

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
     * Creates a connector that accepts on the given listener and speaks HTTP/1.1 and HTTP/2 cleartext
     * (h2c) on it: a client with prior knowledge (starting with the HTTP/2 preface) and one asking for
     * {@code Upgrade: h2c} both get HTTP/2; the others HTTP/1.1. A drain ends each HTTP/2 connection
     * with the two-step GOAWAY, after its streams in flight are answered.
     *
     * @see #connector(Server, ServerSocketChannel, ConnectionFactory...)
     */
    public static ServerConnector h2cConnector(Server server, ServerSocketChannel listener) {
        HttpConfiguration config = new HttpConfiguration();
        return connector(server, listener, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
    }

    /**
     * Creates an HTTPS connector that accepts on the given listener, with the certificate chain and
     * private key of two PEM files (see {@link PemKeyStore#load}).
     *
     * <p>The files are read now: a generation that builds its connector again after an upgrade serves
     * the certificate the files hold at that time, so a renewed certificate is picked up by a reload.
     *
     * @throws IllegalArgumentException if a file holds no certificate or key, or the key does not match
     *     the certificate (the message names both files), or as {@link #connector} says
     * @throws java.io.UncheckedIOException if a file cannot be read
     * @see #tlsConnector(Server, ServerSocketChannel, SslContextFactory.Server)
     */
    public static ServerConnector tlsConnector(
            Server server, ServerSocketChannel listener, Path certificateChain, Path privateKey) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(PemKeyStore.load(certificateChain, privateKey));
        tls.setKeyStorePassword(PemKeyStore.PASSWORD);
        tls.setKeyManagerPassword(PemKeyStore.PASSWORD);
        return tlsConnector(server, listener, tls);
    }

    /**
     * Creates an HTTPS connector that accepts on the given listener: TLS with the given context, then
     * HTTP/2 (h2) for a client that offers it through ALPN, HTTP/1.1 for the others. Requests see
     * {@code https} as their scheme ({@link SecureRequestCustomizer}). Draining is the same as without
     * TLS; a closing connection sends its TLS close_notify.
     *
     * @param tls the server's TLS context, with its key store; the connector starts it
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as {@link #connector} says
     */
    public static ServerConnector tlsConnector(Server server, ServerSocketChannel listener, SslContextFactory.Server tls) {
        Objects.requireNonNull(tls, "tls");
        tls.setCipherComparator(HTTP2Cipher.COMPARATOR); // h2 forbids some ciphers; prefer the allowed ones
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer());
        HttpConnectionFactory http1 = new HttpConnectionFactory(config);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), http1.getProtocol());
        alpn.setDefaultProtocol(http1.getProtocol());
        return connector(server, listener, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http1);
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
     * Starts, on a daemon thread, the class initialisation Jetty 12.1 runs at its first server, so that it
     * runs while the application reads its configuration and Baton takes over the listeners, not after:
     * {@code MimeTypes} lists every locale of the JDK and {@code MemoryUtils} (first used by
     * {@code QueuedThreadPool}) starts JMX to ask whether oops are compressed, together about 100 ms of a
     * successor's start on 2 cores even with an AOT cache. Call it first thing in {@code main}. Harmless if
     * the application gets there first: a class is initialised once, and the other thread waits for it.
     */
    public static void initializeInBackground() {
        Thread.ofPlatform().daemon().name("baton-jetty-init").start(() -> {
            for (String slow : List.of("org.eclipse.jetty.http.MimeTypes", "org.eclipse.jetty.util.MemoryUtils")) {
                try {
                    Class.forName(slow, true, BatonJetty.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    return; // another Jetty: it initialises what it has when the server is made
                }
            }
        });
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
        if (server.getBean(JettyDrainer.class) != null) {
            throw new IllegalStateException(server + " is already managed by Baton; call manage once per server");
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
        JettyDrainer drainer = new JettyDrainer(server, state, idleGrace);
        server.addBean(drainer, false); // found again by onDrain and webSockets
        return drainer;
    }

    /**
     * Adds a hook run when the managed server begins draining (after it stopped accepting, before it
     * waits for connections), so that the application can end its long-lived streams with a status its
     * clients understand, for example a last event saying "reconnect", rather than be cut at the drain
     * timeout. Added after draining began, it runs at once.
     *
     * <p>The hook runs on the thread that drains and should return quickly; an exception it throws is
     * logged and draining goes on.
     *
     * @param server a server given to {@link #manage}
     * @param hook what to run
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the server is not managed by Baton
     */
    public static void onDrain(Server server, Runnable hook) {
        Objects.requireNonNull(hook, "hook");
        drainerOf(server).onDrain(hook);
    }

    /**
     * Creates the tracker of a managed server's WebSocket sessions: each session whose frame handler
     * it wraps is closed with status 1001 (going away) when the server drains, once the message in flight
     * is handled, and its connection closed when the peer answers or after the idle grace period.
     *
     * @param server a server given to {@link #manage}
     * @return a new tracker, already told about the drain
     * @throws NullPointerException if {@code server} is null
     * @throws IllegalStateException if the server is not managed by Baton
     */
    public static WebSocketDrain webSockets(Server server) {
        JettyDrainer drainer = drainerOf(server);
        WebSocketDrain sessions = new WebSocketDrain(server.getScheduler(), drainer.idleGraceMillis());
        drainer.onDrain(sessions::drain);
        return sessions;
    }

    /**
     * Starts describing a warm-up of a started server: requests through its own handler chain on a
     * local connector, before the generation says it is ready (see {@link JettyWarmUp}).
     *
     * @throws NullPointerException if {@code server} is null
     */
    public static JettyWarmUp warmUp(Server server) {
        return new JettyWarmUp(server);
    }

    /**
     * Wraps {@code next} in a {@link ReadinessHandler} at {@value ReadinessHandler#DEFAULT_PATH} that hears
     * {@code baton}'s lifecycle: {@code 200} while the service serves, {@code 503} from the moment a final
     * stop begins, every other request to {@code next}.
     */
    public static ReadinessHandler readiness(Baton baton, Handler next) {
        Objects.requireNonNull(baton, "baton");
        ReadinessHandler readiness = new ReadinessHandler(next);
        baton.addLifecycleListener(readiness);
        return readiness;
    }

    private static JettyDrainer drainerOf(Server server) {
        Objects.requireNonNull(server, "server");
        JettyDrainer drainer = server.getBean(JettyDrainer.class);
        if (drainer == null) {
            throw new IllegalStateException(server + " is not managed by Baton; call BatonJetty.manage(server) first");
        }
        return drainer;
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
