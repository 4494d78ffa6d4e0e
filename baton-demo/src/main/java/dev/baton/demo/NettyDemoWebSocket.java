package dev.baton.demo;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * The Netty demo's WebSocket echo: each text message back as {@link WebSocketEcho} says. Netty's
 * protocol handler aggregates nothing, so the demo's pipeline puts a frame aggregator before it.
 */
@ChannelHandler.Sharable
final class NettyDemoWebSocket extends SimpleChannelInboundHandler<TextWebSocketFrame> {

    private final WebSocketEcho echo;

    NettyDemoWebSocket(WebSocketEcho echo) {
        this.echo = echo;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        ctx.writeAndFlush(new TextWebSocketFrame(echo.answer(frame.text())));
    }
}
