package dev.baton.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The protocol the demo job's load speaks to the demo server. Jetty and Netty serve HTTP/1.1, h2c and
 * WebSocket on one port, or HTTPS with h2 by ALPN when given a certificate; gRPC serves gRPC only.
 */
public enum DemoProtocol {

    /** HTTP/1.1 through baton-load: keep-alive or a new connection per request. */
    HTTP1("http1"),
    /** HTTP/2 cleartext through the JDK's {@code java.net.http.HttpClient}: many streams per connection. */
    H2C("h2c"),
    /**
     * HTTP/2 over TLS (h2 by ALPN) through the JDK's {@code HttpClient}; the demo job makes a throwaway
     * self-signed pair and starts the server with {@code --tls-cert} and {@code --tls-key}.
     */
    H2("h2"),
    /** WebSocket echoes through the JDK's client, reconnecting when the server goes away (close 1001). */
    WS("ws"),
    /** gRPC {@code Hello} calls through grpc-java with its default settings. */
    GRPC("grpc");

    private final String label;

    DemoProtocol(String label) {
        this.label = label;
    }

    /** The name on the command line. */
    public String label() {
        return label;
    }

    /** Whether {@code server} serves this protocol. */
    public boolean isServedBy(DemoServerKind server) {
        if (this == H2) {
            return server == DemoServerKind.JETTY || server == DemoServerKind.NETTY; // the servers that take --tls-cert
        }
        return (server == DemoServerKind.GRPC) == (this == GRPC);
    }

    /** The protocol {@code baton demo} speaks to {@code server} when none is asked for. */
    public static DemoProtocol defaultFor(DemoServerKind server) {
        return server == DemoServerKind.GRPC ? GRPC : HTTP1;
    }

    /**
     * The protocol named {@code text}, in any case ({@code websocket} is {@code ws}).
     *
     * @throws IllegalArgumentException naming the text and the protocols there are
     */
    public static DemoProtocol parse(String text) {
        String name = text.strip().toLowerCase(Locale.ROOT);
        if (name.equals("websocket")) {
            return WS;
        }
        for (DemoProtocol protocol : values()) {
            if (protocol.label.equals(name)) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + text + "'; expected one of " + labels());
    }

    /** The labels of every protocol, as {@code http1, h2c, h2, ws, grpc}. */
    public static String labels() {
        return Arrays.stream(values()).map(DemoProtocol::label).collect(Collectors.joining(", "));
    }
}
