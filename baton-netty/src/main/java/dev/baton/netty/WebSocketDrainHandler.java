package dev.baton.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket drain of one connection, placed right after the
 * {@code WebSocketServerProtocolHandler}: once {@link DrainEvent} arrives and no message is in flight,
 * a close frame with status 1001 (going away); the connection closes when the peer answers it (the
 * protocol handler does that) or after the close timeout.
 *
 * <p>A message is in flight while a fragmented message is partly received or partly sent, and, for a
 * service that answers every message ({@code answersEveryMessage}), from a received message until
 * the server sent a message back: an echo or a reply in progress is never cut by the close. A drain
 * that comes before the opening handshake completes waits for it.
 *
 * <p>One instance per connection (not sharable); confined to the connection's event loop.
 */
public final class WebSocketDrainHandler extends ChannelDuplexHandler {

    /** How long {@link #WebSocketDrainHandler()} waits for the peer's close frame: one second. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(1);

    private final long closeTimeoutNanos;
    private final boolean answersEveryMessage;
    private boolean open;
    private boolean draining;
    private boolean closeSent;
    private boolean receiving;
    private boolean sending;
    private int unanswered;

    /** A handler with the default close timeout, for a service that may not answer every message. */
    public WebSocketDrainHandler() {
        this(DEFAULT_CLOSE_TIMEOUT, false);
    }

    /**
     * @param closeTimeout how long to wait for the peer's close frame before closing the connection
     * @param answersEveryMessage whether the service sends a message back for every message it
     *     receives, so that the close waits for that answer
     * @throws IllegalArgumentException if {@code closeTimeout} is not positive
     */
    public WebSocketDrainHandler(Duration closeTimeout, boolean answersEveryMessage) {
        this.closeTimeoutNanos = Durations.positiveNanos(closeTimeout, "closeTimeout");
        this.answersEveryMessage = answersEveryMessage;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (isDataFrame(msg)) {
            WebSocketFrame frame = (WebSocketFrame) msg;
            receiving = !frame.isFinalFragment();
            if (!receiving && answersEveryMessage) {
                unanswered++;
            }
        }
        ctx.fireChannelRead(msg);
        // The application handled the frame (synchronously at least): perhaps nothing is in flight now.
        closeIfQuiet(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (isDataFrame(msg)) {
            WebSocketFrame frame = (WebSocketFrame) msg;
            sending = !frame.isFinalFragment();
            if (!sending && unanswered > 0) {
                unanswered--;
            }
            ChannelPromise written = promise.unvoid();
            written.addListener(done -> closeIfQuiet(ctx));
            ctx.write(msg, written);
            return;
        }
        if (msg instanceof CloseWebSocketFrame) {
            closeSent = true;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            open = true;
        } else if (evt == DrainEvent.INSTANCE) {
            draining = true;
        }
        super.userEventTriggered(ctx, evt);
        closeIfQuiet(ctx);
    }

    private void closeIfQuiet(ChannelHandlerContext ctx) {
        if (!draining || !open || closeSent || receiving || sending || unanswered > 0 || !ctx.channel().isActive()) {
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE));
        ctx.executor().schedule(() -> {
            if (ctx.channel().isOpen()) {
                ctx.close();
            }
        }, closeTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private static boolean isDataFrame(Object msg) {
        return msg instanceof WebSocketFrame
                && !(msg instanceof CloseWebSocketFrame)
                && !(msg instanceof PingWebSocketFrame)
                && !(msg instanceof PongWebSocketFrame);
    }
}
