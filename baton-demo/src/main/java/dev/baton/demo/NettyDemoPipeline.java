package dev.baton.demo;

import dev.baton.netty.Http1BadInputHandler;
import dev.baton.netty.Http1DrainHandler;
import dev.baton.netty.Http2DrainHandler;
import dev.baton.netty.WebSocketDrainHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
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
import dev.baton.netty.ReadinessHandler;
import io.netty.util.AsciiString;

/**
 * The pipeline of each connection of the Netty demo: cleartext HTTP/1.1 and h2c (prior knowledge or
 * {@code Upgrade: h2c}) on one port, or TLS with h2 or HTTP/1.1 by ALPN; a WebSocket echo at {@code /ws}
 * on HTTP/1.1. Each protocol has baton-netty's drain handler for it.
 */
final class NettyDemoPipeline extends ChannelInitializer<Channel> {

    private static final int MAX_CONTENT = 65_536;

    private final NettyDemoHandler http;
    private final NettyDemoWebSocket webSocket;
    private final SslContext tls;
    private final ReadinessHandler readiness;

    /**
     * @param readiness answers {@code GET /ready} before the demo's own handler sees it
     * @param tls the TLS context, or {@code null} for cleartext
     */
    NettyDemoPipeline(NettyDemoHandler http, NettyDemoWebSocket webSocket, ReadinessHandler readiness, SslContext tls) {
        this.http = http;
        this.readiness = readiness;
        this.webSocket = webSocket;
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel connection) {
        if (tls == null) {
            cleartext(connection.pipeline());
        } else {
            connection.pipeline().addLast(tls.newHandler(connection.alloc()), new Alpn());
        }
    }

    /** HTTP/1.1 first; HTTP/2 after an h2c upgrade or on a connection that starts with the HTTP/2 preface. */
    private void cleartext(ChannelPipeline pipeline) {
        HttpServerCodec codec = new HttpServerCodec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().build(), http2Handlers())
                        : null);
        pipeline.addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel connection) {
                connection.pipeline().addLast(Http2FrameCodecBuilder.forServer().build()).addLast(http2Handlers());
            }
        }));
        pipeline.addLast(new Http1DrainHandler(), new Http1BadInputHandler(), new Http1Start());
    }

    /** After the codec: whole requests, the WebSocket upgrade at {@code /ws} and its echo, the HTTP answers. */
    private void http1Handlers(ChannelPipeline pipeline) {
        pipeline.addLast(new HttpObjectAggregator(MAX_CONTENT),
                new WebSocketServerProtocolHandler(WebSocketEcho.PATH),
                new WebSocketDrainHandler(WebSocketDrainHandler.DEFAULT_CLOSE_TIMEOUT, true),
                new WebSocketFrameAggregator(MAX_CONTENT),
                webSocket,
                readiness,
                http);
    }

    private ChannelHandler[] http2Handlers() {
        return new ChannelHandler[] {new Http2DrainHandler(), new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(MAX_CONTENT), readiness, http);
            }
        })};
    }

    /**
     * Adds the HTTP/1 handlers when the first HTTP/1 message arrives, and leaves: after an h2c switch
     * they would be handed HTTP/2 frames.
     */
    private final class Http1Start extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpMessage) {
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
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build()).addLast(http2Handlers());
            } else {
                ctx.pipeline().addLast(new HttpServerCodec(), new Http1DrainHandler(), new Http1BadInputHandler());
                http1Handlers(ctx.pipeline());
            }
        }
    }
}
