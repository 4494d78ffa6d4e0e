package dev.baton.demo;

import dev.baton.load.ConnectionMode;
import dev.baton.load.LoadOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Starts the demo job's load for a server and a protocol. */
final class JobLoads {

    private JobLoads() {}

    /**
     * Starts {@code connections} closed-loop clients of {@code protocol} against the demo server on
     * {@code port} of the loopback address.
     *
     * @param mode for HTTP/1.1: keep-alive or a new connection per request; ignored otherwise
     * @param httpPath for HTTP/1.1, h2c and h2: what it asks for, such as {@code /}
     * @param httpDuration for HTTP/1.1: how long baton-load may run at most (the job stops it sooner)
     * @throws IllegalArgumentException if {@code server} does not serve {@code protocol}
     */
    static JobLoad start(DemoServerKind server, DemoProtocol protocol, int port, int connections, ConnectionMode mode,
            String httpPath, Duration httpDuration) {
        return start(server, protocol, port, connections, mode, httpPath, httpDuration, null);
    }

    /**
     * Like {@link #start(DemoServerKind, DemoProtocol, int, int, ConnectionMode, String, Duration)}, for a
     * server started with {@code tls} (which h2 needs, and no other protocol takes).
     *
     * @throws IllegalArgumentException if {@code server} does not serve {@code protocol}, or h2 comes without TLS
     */
    static JobLoad start(DemoServerKind server, DemoProtocol protocol, int port, int connections, ConnectionMode mode,
            String httpPath, Duration httpDuration, DemoTls tls) {
        if (!protocol.isServedBy(server)) {
            throw new IllegalArgumentException("the " + server.label() + " demo server does not serve "
                    + protocol.label() + "; use --protocol " + (server == DemoServerKind.GRPC ? "grpc"
                            : "http1, h2c, h2 or ws"));
        }
        if ((protocol == DemoProtocol.H2) != (tls != null)) {
            throw new IllegalArgumentException("the h2 load and only it speaks TLS: " + protocol.label()
                    + (tls == null ? " without" : " with") + " a certificate");
        }
        return switch (protocol) {
            case HTTP1 -> new HttpJobLoad(LoadOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .withConnections(connections)
                    .withDuration(httpDuration)
                    .withMode(mode)
                    .withPath(httpPath));
            case H2C -> new Http2JobLoad(port, connections, httpPath, null);
            case H2 -> new Http2JobLoad(port, connections, httpPath, tls);
            case WS -> new WebSocketJobLoad(port, connections);
            case GRPC -> new GrpcJobLoad(port, connections);
        };
    }

    /** What the load does, for the job's "Load:" line. */
    static String describe(DemoProtocol protocol, int connections, ConnectionMode mode) {
        return switch (protocol) {
            case HTTP1 -> connections + " " + mode.label() + " HTTP/1.1 connections";
            case H2C -> connections + " h2c callers (java.net.http.HttpClient, HTTP/2 by Upgrade, many streams a connection)";
            case H2 -> connections + " h2 callers (java.net.http.HttpClient, HTTPS with h2 by ALPN, many streams a connection)";
            case WS -> connections + " WebSocket sessions (java.net.http.WebSocket, reconnecting on close 1001)";
            case GRPC -> connections + " gRPC clients calling Hello (default settings)";
        };
    }
}
