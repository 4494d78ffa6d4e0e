/**
 * Baton for Netty 4.2: serves a Netty server on listeners handed over by Baton, on the NIO or the
 * native epoll transport, and drains it without a failed request.
 *
 * <pre>{@code
 * Listener http = baton.listener("http", ListenAddress.parse(":8080"));
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(Transport.EPOLL.ioHandlerFactory());
 * ServerChannel channel = BatonNetty.serverChannel(Transport.EPOLL, http);
 * ServerBootstrap bootstrap = new ServerBootstrap().group(group).childHandler(new ChannelInitializer<>() {
 *     protected void initChannel(Channel ch) {
 *         ch.pipeline().addLast(new HttpServerCodec(), new Http1DrainHandler(), new HttpObjectAggregator(65536), app);
 *     }
 * });
 * BatonNetty.register(bootstrap, channel).sync();  // registered, never bound again
 * baton.register(BatonNetty.manage(channel));
 * baton.ready();
 * }</pre>
 *
 * <p>What a drain guarantees:
 * <ul>
 *   <li>the server stops accepting by closing its own copy of each listener, never by
 *       {@code shutdown()}, so the successor holding the same socket goes on accepting;
 *   <li>every connection is told ({@link dev.baton.netty.DrainEvent}) and closed by its protocol's
 *       drain handler once what is in flight is done: HTTP/1.1 with {@code Connection: close} on the
 *       next response or after an idle grace period, never a 503; HTTP/2 with the two-step GOAWAY;
 *       WebSocket with close 1001;
 *   <li>what is still open at the drain timeout is closed and counted ({@code hammer}).
 * </ul>
 */
package dev.baton.netty;
