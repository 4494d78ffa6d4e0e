/**
 * Baton for Jetty 12: connectors on Baton listeners (HTTP/1.1, h2c, TLS with h2 by ALPN) and a
 * protocol-aware drain without a 503 (Connection: close, two-step GOAWAY, WebSocket close 1001).
 *
 * <p>It exports one package, {@link dev.baton.jetty}, and uses only baton-core's public API.
 */
module dev.baton.jetty {
    requires transitive dev.baton;
    requires transitive org.eclipse.jetty.server;
    requires transitive org.eclipse.jetty.websocket.core.common;
    requires org.eclipse.jetty.alpn.server;
    requires org.eclipse.jetty.alpn.java.server;
    requires org.eclipse.jetty.http2.common;
    requires org.eclipse.jetty.http2.server;
    requires org.eclipse.jetty.websocket.core.server;

    exports dev.baton.jetty;
}
