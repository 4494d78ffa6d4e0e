package dev.baton.netty.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client connection with prior knowledge (h2c), on Netty's own frame codec, that records
 * the connection-level frames the server sends (GOAWAY and PING) for drain tests.
 */
public final class H2cClient implements AutoCloseable {

    /** A response on one stream. */
    public record Response(int streamId, int status, String body) {}

    /** The last-stream-id of every GOAWAY received, in order. */
    public final List<Integer> goAways = new CopyOnWriteArrayList<>();
    /** How many PINGs (not acknowledgements) the server sent. */
    public final List<Long> pings = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final int port;

    /** Connects to 127.0.0.1 at {@code port} and sends the connection preface. */
    public H2cClient(int port) throws InterruptedException {
        this.port = port;
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), new Recorder(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
    }

    /** The connection, to await its close. */
    public Channel channel() {
        return channel;
    }

    /** Opens a stream with {@code GET path}; the future completes with the whole response. */
    public CompletableFuture<Response> get(String path) throws InterruptedException {
        CompletableFuture<Response> response = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel)
                .handler(new StreamReader(response)).open().sync().getNow();
        DefaultHttp2Headers headers = new DefaultHttp2Headers();
        headers.method("GET").path(path).scheme("http").authority("127.0.0.1:" + port);
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true)).sync();
        return response;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame goAway) {
                goAways.add(goAway.lastStreamId());
            } else if (msg instanceof Http2PingFrame ping && !ping.ack()) {
                pings.add(ping.content());
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static final class StreamReader extends SimpleChannelInboundHandler<Http2StreamFrame> {
        private final CompletableFuture<Response> response;
        private final StringBuilder body = new StringBuilder();
        private final StringBuilder events = new StringBuilder();
        private int status;

        StreamReader(CompletableFuture<Response> response) {
            this.response = response;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
            boolean end = false;
            if (frame instanceof Http2HeadersFrame headers) {
                if (headers.headers().status() != null) {
                    status = Integer.parseInt(headers.headers().status().toString());
                }
                end = headers.isEndStream();
            } else if (frame instanceof Http2DataFrame data) {
                ByteBuf content = data.content();
                body.append(content.toString(StandardCharsets.UTF_8));
                end = data.isEndStream();
            }
            if (end) {
                response.complete(new Response(frame.stream().id(), status, body.toString()));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.append(evt).append(' ');
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            response.completeExceptionally(new IllegalStateException("stream closed before its response ended"
                    + " (status " + status + ", events: " + events + ", connection active: "
                    + ctx.channel().parent().isActive() + ")"));
            ctx.fireChannelInactive();
        }
    }
}
