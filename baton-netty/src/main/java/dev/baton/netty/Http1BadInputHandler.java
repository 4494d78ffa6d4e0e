package dev.baton.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Bad input on an HTTP/1.x connection, placed after the {@code HttpServerCodec} (and after
 * {@link Http1DrainHandler}): a request that is not HTTP/1.x gets {@code 400 Bad Request} saying what
 * arrived, with {@code Connection: close}, and the connection closes once it is written; nothing of it
 * reaches the application. That is the HTTP/2 connection preface ({@code PRI * HTTP/2.0}) of a client
 * with prior knowledge on a listener without h2c, and bytes Netty could not decode as HTTP (a TLS
 * ClientHello on a cleartext port, noise). Netty's decoder hands such requests on marked as failed,
 * and an application that does not look answers them as if they were fine.
 *
 * <p>One instance per connection (not sharable); confined to the connection's event loop.
 */
public final class Http1BadInputHandler extends ChannelInboundHandlerAdapter {

    private boolean rejected;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg); // the rest of a connection being closed
            return;
        }
        if (msg instanceof HttpRequest request && (request.decoderResult().isFailure()
                || request.protocolVersion().majorVersion() != 1)) {
            rejected = true;
            String why = why(request);
            ReferenceCountUtil.release(msg);
            byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static String why(HttpRequest request) {
        if (request.protocolVersion().majorVersion() == 2) {
            return "this listener speaks HTTP/1.1 only, and an HTTP/2 connection preface arrived: use HTTP/1.1, "
                    + "or HTTP/2 over TLS (ALPN) or by Upgrade: h2c where the server offers it";
        }
        Throwable cause = request.decoderResult().cause();
        return "not an HTTP/1.1 request (" + (cause == null ? "HTTP/" + request.protocolVersion().majorVersion()
                : cause.getMessage()) + "): this listener speaks HTTP/1.1";
    }
}
