package dev.baton.netty;

import dev.baton.Baton;
import dev.baton.LifecycleListener;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import java.util.Objects;

/**
 * A readiness endpoint for load balancers and Kubernetes probes, as a pipeline handler placed after the
 * {@code HttpObjectAggregator} (on an HTTP/1.1 connection, or an HTTP/2 stream turned into HTTP objects): a
 * request for its path (default {@value #DEFAULT_PATH}) is answered {@code 200 ready} while the service
 * serves and {@code 503 stopping} from the moment a final stop begins (SIGTERM, {@code baton stop}); every
 * other message goes on down the pipeline.
 *
 * <p>Readiness belongs to the service, not to a generation: an in-place upgrade never shows 503, since the
 * new generation answers 200 before the old one stops accepting, and the old one's drain is no final stop.
 * With a shutdown delay ({@code BatonOptions.shutdownDelay}) the 503 comes at once and the service goes on
 * serving for the delay:
 *
 * <pre>{@code
 * ReadinessHandler readiness = BatonNetty.readiness(baton);   // one for every connection
 * ch.pipeline().addLast(new HttpServerCodec(), new Http1DrainHandler(), new HttpObjectAggregator(65536),
 *         readiness, new ShopHandler());
 * }</pre>
 *
 * <p>Sharable and thread-safe: the one state, whether a final stop began, is a volatile flag set once.
 */
@ChannelHandler.Sharable
public final class ReadinessHandler extends ChannelInboundHandlerAdapter implements LifecycleListener {

    /** The path answered when none is given. */
    public static final String DEFAULT_PATH = "/ready";

    private static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    private final String path;
    private volatile boolean stopping;

    /**
     * A readiness endpoint at {@code path}; register it with {@link Baton#addLifecycleListener} (or build it
     * with {@link BatonNetty#readiness}) so it hears the stop.
     *
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public ReadinessHandler(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("readiness path must start with '/', not '" + path + "'");
        }
        this.path = path;
    }

    /** A readiness endpoint at {@value #DEFAULT_PATH}. */
    public ReadinessHandler() {
        this(DEFAULT_PATH);
    }

    /** Whether it answers 200: true until a final stop begins. */
    public boolean ready() {
        return !stopping;
    }

    /** A final stop began: from now on the endpoint answers 503. */
    @Override
    public void stopping(int generation) {
        stopping = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || !path.equals(new QueryStringDecoder(request.uri()).path())) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        request.release();
        boolean ready = ready();
        byte[] body = (ready ? "ready\n" : "stopping\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
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
