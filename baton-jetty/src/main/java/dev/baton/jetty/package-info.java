/**
 * Baton for Jetty 12: puts a Jetty {@code Server} on listeners handed over by Baton and drains it
 * without a failed request.
 *
 * <pre>{@code
 * ServerSocketChannel http = baton.listen("http", address);
 * Server server = new Server();
 * server.addConnector(BatonJetty.connector(server, http));
 * server.setHandler(appHandler);
 * ManagedServer drainer = BatonJetty.manage(server, Duration.ofSeconds(1));
 * baton.onDrain(drainer);
 * server.start();
 * baton.ready();
 * }</pre>
 *
 * <p>What a drain guarantees, for HTTP/1.x:
 * <ul>
 *   <li>the server stops accepting by closing its own copy of each listener, never by
 *       {@code shutdown()}, so the successor holding the same socket goes on accepting; a connection
 *       accepted at the instant of the close is served as any other;
 *   <li>requests in flight finish normally on this server;
 *   <li>a request that arrives on a kept-alive connection while draining is answered normally (never
 *       503) with {@code Connection: close}, after which the connection closes and the client opens a
 *       new one, which lands on the successor;
 *   <li>a connection that stays idle for the grace period after draining began is closed; it is never
 *       closed at the instant draining starts, since a client may be sending on it right then.
 * </ul>
 *
 * <p>For the other protocols ({@link dev.baton.jetty.BatonJetty#h2cConnector h2c},
 * {@link dev.baton.jetty.BatonJetty#tlsConnector HTTPS with h2 by ALPN}, WebSocket):
 * <ul>
 *   <li>HTTP/2: a GOAWAY with the highest stream id and a PING, then, once the PING is answered and
 *       the streams in flight are answered, the final GOAWAY with the last stream id; never a
 *       RST_STREAM or a 503 for a stream this server can answer;
 *   <li>WebSocket: each session tracked by {@link dev.baton.jetty.WebSocketDrain} gets a close frame 1001
 *       (going away) once the message it is handling is done, and its connection closes when the peer
 *       answers or after the grace period;
 *   <li>long-lived streams: {@link dev.baton.jetty.BatonJetty#onDrain} tells the application that draining
 *       began, so that it ends them with a message its clients understand;
 *   <li>what is still open at the drain timeout is cut by the hammer, and counted.
 * </ul>
 */
package dev.baton.jetty;
