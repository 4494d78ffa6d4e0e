package dev.baton.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 drain of one connection, placed right after the {@code Http2FrameCodec} (before the
 * {@code Http2MultiplexHandler}): the two-step GOAWAY, as Envoy and gRPC drain.
 *
 * <ol>
 *   <li>When {@link DrainEvent} arrives: a GOAWAY (NO_ERROR) with last-stream-id 2^31-1, so the client
 *       opens no new stream here but every stream it may already have sent is still served, and a PING;
 *   <li>when the PING's acknowledgement comes back (every stream the client sent before it has then
 *       arrived), or after the ping timeout: a second GOAWAY with the last stream id actually seen,
 *       then a graceful close by the codec, which waits for the streams in flight to finish (up to
 *       the codec's graceful shutdown timeout) before it closes the connection.
 * </ol>
 *
 * <p>One instance per connection (not sharable); confined to the connection's event loop.
 */
public final class Http2DrainHandler extends ChannelDuplexHandler {

    /** How long {@link #Http2DrainHandler()} waits for the PING's acknowledgement: one second. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(1);

    private final long pingTimeoutNanos;
    private final long pingData = ThreadLocalRandom.current().nextLong();
    private boolean draining;
    private boolean finalGoAwaySent;
    private ScheduledFuture<?> pingTimeout;

    /** A handler with the default ping timeout. */
    public Http2DrainHandler() {
        this(DEFAULT_PING_TIMEOUT);
    }

    /**
     * @param pingTimeout how long to wait for the acknowledgement of the drain's PING before the second
     *     GOAWAY goes anyway
     * @throws IllegalArgumentException if {@code pingTimeout} is not positive
     */
    public Http2DrainHandler(Duration pingTimeout) {
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        if (pingTimeout.isNegative() || pingTimeout.isZero()) {
            throw new IllegalArgumentException("pingTimeout must be positive, was " + pingTimeout);
        }
        this.pingTimeoutNanos = pingTimeout.toNanos();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == DrainEvent.INSTANCE && !draining) {
            draining = true;
            // The codec adds extraStreamIds * 2 to the last stream created and caps it at 2^31-1.
            ctx.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
            ctx.writeAndFlush(new DefaultHttp2PingFrame(pingData));
            pingTimeout = ctx.executor().schedule(() -> sendFinalGoAway(ctx), pingTimeoutNanos, TimeUnit.NANOSECONDS);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (draining && msg instanceof Http2PingFrame ping && ping.ack() && ping.content() == pingData) {
            ReferenceCountUtil.release(msg);
            sendFinalGoAway(ctx);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (pingTimeout != null) {
            pingTimeout.cancel(false);
        }
    }

    private void sendFinalGoAway(ChannelHandlerContext ctx) {
        if (finalGoAwaySent || !ctx.channel().isOpen()) {
            return;
        }
        finalGoAwaySent = true;
        if (pingTimeout != null) {
            pingTimeout.cancel(false);
        }
        // Without extra stream ids the codec sends the last stream the client created.
        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        // The codec's close is graceful once a GOAWAY was sent: it waits for the active streams.
        ctx.close();
    }
}
