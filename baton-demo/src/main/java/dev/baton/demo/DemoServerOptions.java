package dev.baton.demo;

import dev.baton.BatonOptions;
import dev.baton.netty.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param warmUpRounds how many times the Jetty and Netty servers send each of {@link #WARM_UP_PATHS} through
 *     their own handlers before ready (at most {@link #WARM_UP_LIMIT}); 0 for no warm-up
 * @param metrics whether {@code GET /metrics} shows Baton's meters in the Prometheus format (HTTP servers only)
 * @param tls the certificate and key of HTTPS (h2 and HTTP/1.1 by ALPN) for Jetty and Netty, or {@code null}
 *     for cleartext (HTTP/1.1 and h2c)
 */
public record DemoServerOptions(String host, int port, Path config, BatonOptions baton, DemoServerKind server,
        Transport nettyTransport, int warmUpRounds, boolean metrics, DemoTls tls) {

    /** The warm-up rounds unless told otherwise. */
    public static final int DEFAULT_WARM_UP_ROUNDS = 200;

    /** The requests of a warm-up round: the demo's own answers. */
    static final List<String> WARM_UP_PATHS = List.of("/", "/sleep?ms=0");

    /** The longest a warm-up may take, so that a slow machine is never kept from ready for long. */
    static final Duration WARM_UP_LIMIT = Duration.ofSeconds(5);

    public DemoServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(baton, "baton");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(nettyTransport, "nettyTransport");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
        if (warmUpRounds < 0 || warmUpRounds > 1_000_000) {
            throw new IllegalArgumentException("warm-up rounds must be 0 to 1000000, not " + warmUpRounds);
        }
        if (metrics && server == DemoServerKind.GRPC) {
            throw new IllegalArgumentException("--metrics needs an HTTP server (--server jetty or netty), not grpc");
        }
    }

    /** A cleartext demo server with the default warm-up, without {@code /metrics}. */
    public DemoServerOptions(String host, int port, Path config, BatonOptions baton, DemoServerKind server,
            Transport nettyTransport) {
        this(host, port, config, baton, server, nettyTransport, DEFAULT_WARM_UP_ROUNDS, false, null);
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
