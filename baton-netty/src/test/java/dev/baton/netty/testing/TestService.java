package dev.baton.netty.testing;

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
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The application of the adapter tests: {@code GET /slow} (and the WebSocket message "slow") is held
 * until {@link #release()}, without blocking an event loop; every other request is answered "ok" with
 * the server's name in {@code X-Server}, and every other WebSocket message echoed.
 */
public final class TestService {

    /** Counted down when a slow request or message arrives. */
    public final CountDownLatch slowArrived = new CountDownLatch(1);
    private final String name;
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private boolean released;

    TestService(String name) {
        this.name = name;
    }

    /** Answers everything held (each on its connection's event loop), and from now on answers at once. */
    public synchronized void release() {
        released = true;
        held.forEach(Runnable::run);
        held.clear();
    }

    private void holdOrRun(ChannelHandlerContext ctx, Runnable answer) {
        boolean now;
        synchronized (this) {
            now = released;
            if (!now) {
                held.add(() -> ctx.executor().execute(answer));
            }
        }
        slowArrived.countDown();
        if (now) {
            answer.run();
        }
    }

    ChannelHandler http() {
        return new Http();
    }

    ChannelHandler webSocket() {
        return new WebSocket();
    }

    @ChannelHandler.Sharable
    private final class Http extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            boolean http2 = ctx.channel() instanceof Http2StreamChannel;
            Runnable answer = () -> {
                byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response =
                        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
                response.headers().set("X-Server", name).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                if (!http2) {
                    HttpUtil.setKeepAlive(response, keepAlive);
                }
                var written = ctx.writeAndFlush(response);
                if (!http2 && !HttpUtil.isKeepAlive(response)) {
                    written.addListener(ChannelFutureListener.CLOSE);
                }
            };
            if (request.uri().startsWith("/slow")) {
                holdOrRun(ctx, answer);
            } else {
                answer.run();
            }
        }
    }

    @ChannelHandler.Sharable
    private final class WebSocket extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String text = frame.text();
            Runnable echo = () -> ctx.writeAndFlush(new TextWebSocketFrame(name + ": " + text));
            if (text.equals("slow")) {
                holdOrRun(ctx, echo);
            } else {
                echo.run();
            }
        }
    }
}
