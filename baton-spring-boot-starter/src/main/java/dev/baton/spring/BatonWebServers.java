package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.ListenAddress;
import dev.baton.Listener;
import dev.baton.ManagedServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where an embedded web server's adapter gets its listener and registers its drainer: the bridge
 * between a Spring Boot web server factory (its {@code server.address} and {@code server.port}) and
 * this generation's {@link Baton}.
 *
 * <p>Thread-safe.
 */
public final class BatonWebServers {

    private final Baton baton;
    private final BatonProperties properties;
    private final AtomicInteger registered = new AtomicInteger();

    BatonWebServers(Baton baton, BatonProperties properties) {
        this.baton = baton;
        this.properties = properties;
    }

    /**
     * The listener for a server that would bind {@code address} (null: every address) and {@code port}:
     * the one inherited under the configured listener name, or a new one bound there.
     *
     * @throws BatonStartException if it cannot be bound (the port is taken, the address is not this
     *     machine's), with a message that says so
     */
    public ServerSocketChannel listen(InetAddress address, int port) {
        return listener(address, port).channel();
    }

    /**
     * Like {@link #listen}, with the listener's descriptor, for a server that accepts on a duplicate of it
     * (Netty's epoll transport).
     */
    public Listener listener(InetAddress address, int port) {
        ListenAddress listenAddress = new ListenAddress.Tcp(host(address), Math.max(port, 0));
        try {
            return baton.listener(properties.getListener(), listenAddress);
        } catch (IOException e) {
            throw new BatonStartException("Baton cannot listen on " + properties.getListener() + "=" + listenAddress
                    + " (server.address and server.port): " + e.getMessage(), "Stop the process that holds the port"
                    + " (or the running generation of this service: upgrade it with SIGHUP or `baton reload` instead"
                    + " of starting a second one), or set server.port to a free port.", e);
        }
    }

    /** Registers a server's drainer with Baton: it accepts once the generation serves, and drains when it stops. */
    public void register(ManagedServer server) {
        baton.register(server);
        registered.incrementAndGet();
    }

    /** How long a kept-alive connection must stay idle once draining began before it is closed. */
    public Duration idleGrace() {
        return properties.getIdleGrace();
    }

    /** How many servers were registered. */
    int registered() {
        return registered.get();
    }

    private static String host(InetAddress address) {
        if (address == null || address.isAnyLocalAddress()) {
            return "";
        }
        String host = address.getHostAddress();
        int scope = host.indexOf('%');
        return scope >= 0 ? host.substring(0, scope) : host;
    }
}
