package dev.baton.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.x drain of one connection, placed right after the {@code HttpServerCodec}: once
 * {@link DrainEvent} arrives, the next final response carries {@code Connection: close} and the
 * connection closes once it is written; a connection with no request in flight is closed after it
 * stayed idle for the grace period. It never answers anything itself (never a 503).
 *
 * <p>A request in flight when draining began finishes normally and gets {@code Connection: close};
 * so does a request that arrives during the grace period. Pipelined requests are all answered: only the
 * response to the last one received closes. After a protocol switch ({@code 101} to WebSocket or h2c,
 * or h2c with prior knowledge through {@code CleartextHttp2ServerUpgradeHandler}) the handler removes
 * itself, and the new protocol's drain handler takes over; it passes every other message through.
 *
 * <p>One instance per connection (not sharable); confined to the connection's event loop.
 */
public final class Http1DrainHandler extends ChannelDuplexHandler {

    /** The idle grace period of {@link #Http1DrainHandler()}: one second, as Baton's Jetty adapter. */
    public static final Duration DEFAULT_IDLE_GRACE = Duration.ofSeconds(1);

    private final long graceNanos;
    private int inFlight;
    private boolean draining;
    /** The response being written told the client {@code Connection: close}: close once it is written. */
    private boolean closeAfterResponse;
    private long idleSince;
    private ScheduledFuture<?> idleCheck;

    /** A handler with the default idle grace period. */
    public Http1DrainHandler() {
        this(DEFAULT_IDLE_GRACE);
    }

    /**
     * @param idleGrace how long a connection must stay idle after draining began before it is closed;
     *     long enough for a request already on the wire to arrive
     * @throws IllegalArgumentException if {@code idleGrace} is not positive
     */
    public Http1DrainHandler(Duration idleGrace) {
        this.graceNanos = Durations.positiveNanos(idleGrace, "idleGrace");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            inFlight++;
        }
        if (msg instanceof HttpRequest || msg instanceof HttpContent) {
            idleSince = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ChannelPromise written = promise;
        if (msg instanceof HttpResponse response) {
            HttpResponseStatus status = response.status();
            if (status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                inFlight = Math.max(0, inFlight - 1);
                written = promise.unvoid();
                written.addListener(done -> {
                    if (done.isSuccess() && !ctx.isRemoved()) {
                        ctx.pipeline().remove(this);
                    }
                });
                ctx.write(msg, written);
                return;
            }
            if (status.codeClass() != HttpStatusClass.INFORMATIONAL && inFlight <= 1 && isDraining(ctx)) {
                HttpUtil.setKeepAlive(response, false);
                closeAfterResponse = true;
            }
        }
        if (msg instanceof LastHttpContent && inFlight > 0) {
            inFlight--;
            idleSince = System.nanoTime();
            // Only a response whose headers said "Connection: close" may end the connection. When the
            // drain began between a streamed response's headers and its last content (Reactor Netty
            // writes them apart), the client was told "keep-alive" and may already be sending its next
            // request: that one gets the close, or the idle check ends the connection.
            if (closeAfterResponse) {
                closeAfterResponse = false;
                written = promise.unvoid();
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
        ctx.write(msg, written);
    }

    /** Draining, or about to be: the drain event may still be on its way to this event loop. */
    private boolean isDraining(ChannelHandlerContext ctx) {
        return draining || DrainWatcher.isDraining(ctx.pipeline());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == DrainEvent.INSTANCE && !draining) {
            draining = true;
            idleSince = Math.max(idleSince, System.nanoTime());
            scheduleIdleCheck(ctx, graceNanos);
        } else if ((evt instanceof HttpServerUpgradeHandler.UpgradeEvent
                || evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) && !ctx.isRemoved()) {
            // The connection speaks HTTP/2 now; Http2DrainHandler drains it.
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
    }

    private void scheduleIdleCheck(ChannelHandlerContext ctx, long delayNanos) {
        idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkIdle(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen() || ctx.isRemoved()) {
            return;
        }
        long idleFor = System.nanoTime() - idleSince;
        if (inFlight == 0 && idleFor >= graceNanos) {
            ctx.close();
        } else {
            // A request is in flight (its response closes the connection) or one just ended: look again.
            scheduleIdleCheck(ctx, inFlight == 0 ? graceNanos - idleFor : graceNanos);
        }
    }
}
