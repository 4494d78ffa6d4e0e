package dev.baton.netty.testing;

import dev.baton.netty.BatonNetty;
import dev.baton.netty.Http1BadInputHandler;
import dev.baton.netty.Http1DrainHandler;
import dev.baton.netty.Http2DrainHandler;
import dev.baton.netty.NettyDrainer;
import dev.baton.netty.Transport;
import dev.baton.netty.WebSocketDrainHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Netty server on a Baton-style listener, with its drainer, speaking HTTP/1.1, h2c (prior knowledge
 * and upgrade) and WebSocket at {@code /ws} on one port, or HTTPS with ALPN (h2, http/1.1) when given
 * a TLS context. The application is a {@link TestService}.
 */
public final class NettyTestServer implements AutoCloseable {

    public final ServerSocketChannel listener;
    public final int port;
    public final ServerChannel channel;
    public final NettyDrainer drainer;
    public final TestService service;
    private final EventLoopGroup group;

    /** Starts a server on {@code listener}, accepting at once. */
    public NettyTestServer(Transport transport, ServerSocketChannel listener, String name, SslContext tls)
            throws Exception {
        this(transport, listener, name, tls, false);
    }

    private NettyTestServer(Transport transport, ServerSocketChannel listener, String name, SslContext tls,
            boolean http1Only) throws Exception {
        this.listener = listener;
        this.port = SharedSocket.port(listener);
        this.service = new TestService(name);
        group = new MultiThreadIoEventLoopGroup(2, transport.ioHandlerFactory());
        channel = BatonNetty.serverChannel(transport, listener, SharedSocket.descriptor(listener));
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (http1Only) {
                    ch.pipeline().addLast(new HttpServerCodec(), new Http1DrainHandler(), new Http1BadInputHandler());
                    http1Handlers(ch.pipeline());
                } else if (tls == null) {
                    cleartext(ch.pipeline());
                } else {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Alpn());
                }
            }
        });
        BatonNetty.register(bootstrap, channel).sync();
        drainer = BatonNetty.manage(channel);
        drainer.startAccepting();
    }

    /** A cleartext server on a new loopback listener. */
    public static NettyTestServer start(Transport transport) throws Exception {
        return new NettyTestServer(transport, SharedSocket.loopbackListener(), "server", null);
    }

    /**
     * A cleartext server on a new loopback listener that speaks HTTP/1.1 only (no h2c, no upgrade): the
     * pipeline an application without HTTP/2 builds, {@code HttpServerCodec} Baton's HTTP/1 drain and its {@link Http1BadInputHandler}.
     */
    public static NettyTestServer startHttp1Only(Transport transport) throws Exception {
        return new NettyTestServer(transport, SharedSocket.loopbackListener(), "server", null, true);
    }

    private void cleartext(ChannelPipeline pipeline) {
        HttpServerCodec codec = new HttpServerCodec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().build(), http2Handlers())
                        : null);
        pipeline.addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build()).addLast(http2Handlers());
            }
        }));
        // The HTTP/1 handlers come with the first HTTP/1 message: after an h2c switch they would get frames.
        pipeline.addLast(new Http1DrainHandler(), new Http1Start());
    }

    private void http1Handlers(ChannelPipeline pipeline) {
        pipeline.addLast(new HttpObjectAggregator(65536),
                new WebSocketServerProtocolHandler("/ws"),
                new WebSocketDrainHandler(Duration.ofSeconds(1), true),
                service.webSocket(),
                service.http());
    }

    private ChannelHandler[] http2Handlers() {
        return new ChannelHandler[] {new Http2DrainHandler(), new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(65536), service.http());
            }
        })};
    }

    /** Installs the HTTP/1 handlers in its place when the first HTTP/1 message arrives. */
    private final class Http1Start extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http.HttpMessage) {
                // Added before this one leaves, so that the message goes on to them.
                http1Handlers(ctx.pipeline());
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** After the TLS handshake: HTTP/2 or HTTP/1.1, as ALPN chose. */
    private final class Alpn extends ApplicationProtocolNegotiationHandler {
        Alpn() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(io.netty.channel.ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build()).addLast(http2Handlers());
            } else {
                ctx.pipeline().addLast(new HttpServerCodec(), new Http1DrainHandler());
                http1Handlers(ctx.pipeline());
            }
        }
    }

    @Override
    public void close() throws java.io.IOException {
        service.release();
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        listener.close();
    }
}
