package dev.baton.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
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
 *       then, once the streams in flight have finished, the connection closes (a stream that outlives
 *       the drain timeout is cut by the hammer).
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
        this.pingTimeoutNanos = Durations.positiveNanos(pingTimeout, "pingTimeout");
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
        Http2ConnectionHandler codec = ctx.pipeline().get(Http2ConnectionHandler.class);
        if (codec == null || codec.connection().numActiveStreams() == 0) {
            ctx.close();
            return;
        }
        // The codec's own graceful close waits only gracefulShutdownTimeoutMillis (0 by default for
        // Http2FrameCodecBuilder): close once the last stream in flight has ended instead.
        codec.connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (codec.connection().numActiveStreams() == 0 && ctx.channel().isOpen()) {
                    ctx.close();
                }
            }
        });
    }
}
