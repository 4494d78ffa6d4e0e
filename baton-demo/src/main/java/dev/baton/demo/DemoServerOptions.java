package dev.baton.demo;

import dev.baton.BatonOptions;
import dev.baton.netty.Transport;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run the demo server.
 *
 * @param host the address to listen on ({@code 127.0.0.1} by default; empty for every address)
 * @param port the TCP port
 * @param config the properties file read at every start, or {@code null} for the defaults
 * @param baton the Baton options: name, pidfile, timeouts
 * @param server which server serves
 * @param nettyTransport the Netty transport of the Netty server (NIO or native epoll)
 * @param tls the certificate and key of HTTPS (h2 and HTTP/1.1 by ALPN) for Jetty and Netty, or {@code null}
 *     for cleartext (HTTP/1.1 and h2c)
 */
public record DemoServerOptions(String host, int port, Path config, BatonOptions baton, DemoServerKind server,
        Transport nettyTransport, DemoTls tls) {

    public DemoServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(baton, "baton");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(nettyTransport, "nettyTransport");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
    }

    /** A cleartext demo server. */
    public DemoServerOptions(String host, int port, Path config, BatonOptions baton, DemoServerKind server,
            Transport nettyTransport) {
        this(host, port, config, baton, server, nettyTransport, null);
    }

    /** The Jetty demo server. */
    public DemoServerOptions(String host, int port, Path config, BatonOptions baton) {
        this(host, port, config, baton, DemoServerKind.JETTY, Transport.NIO);
    }

    /** The listen address, as Baton reads it. */
    public String listenAddress() {
        if (host.isEmpty()) {
            return ":" + port;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The service name used when none is given: one per port, so that several demos can run side by side. */
    public static String defaultName(int port) {
        return "demo-" + port;
    }
}
