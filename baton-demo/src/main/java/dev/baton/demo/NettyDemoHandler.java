package dev.baton.demo;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty demo server's handler, for HTTP/1.1 connections and HTTP/2 streams alike: the
 * {@link DemoAnswers}, a sleep scheduled on the connection's event loop rather than blocking it.
 */
@ChannelHandler.Sharable
final class NettyDemoHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final DemoAnswers answers;

    NettyDemoHandler(DemoAnswers answers) {
        this.answers = answers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        List<String> ms = uri.parameters().get("ms");
        DemoAnswers.Answer answer = answers.answer(uri.path(), ms == null ? null : ms.getFirst());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        Runnable write = () -> write(ctx, answer, keepAlive);
        if (answer.delayMillis() > 0) {
            ctx.executor().schedule(write, answer.delayMillis(), TimeUnit.MILLISECONDS);
        } else {
            write.run();
        }
    }

    private static void write(ChannelHandlerContext ctx, DemoAnswers.Answer answer, boolean keepAlive) {
        byte[] body = answer.text().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, DemoAnswers.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        boolean http1 = !(ctx.channel() instanceof Http2StreamChannel);
        if (http1) {
            HttpUtil.setKeepAlive(response, keepAlive);
        }
        var written = ctx.writeAndFlush(response);
        if (http1 && !keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
