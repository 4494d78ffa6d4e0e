package dev.baton.demo;

import dev.baton.Baton;
import dev.baton.ListenAddress;
import dev.baton.Listener;
import dev.baton.netty.BatonNetty;
import dev.baton.netty.Http1DrainHandler;
import dev.baton.netty.Http2DrainHandler;
import dev.baton.netty.NettyWarmUp;
import dev.baton.netty.ReadinessHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The demo on Netty 4.2: HTTP/1.1 and h2c (prior knowledge or {@code Upgrade: h2c}) on the one Baton
 * listener, on the NIO or epoll transport, each protocol drained by baton-netty's handler for it.
 */
final class NettyDemo implements RunningServer {

    private static final int MAX_CONTENT = 65_536;

    private final EventLoopGroup group;
    private final NettyDemoHandler handler;
    private final ReadinessHandler readiness;

    private NettyDemo(EventLoopGroup group, NettyDemoHandler handler, ReadinessHandler readiness) {
        this.group = group;
        this.handler = handler;
        this.readiness = readiness;
    }

    static RunningServer start(Baton baton, DemoServerOptions options, DemoAnswers answers) throws IOException {
        Listener listener = baton.listener("http", ListenAddress.parse(options.listenAddress()));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("demo-netty"),
                options.nettyTransport().ioHandlerFactory());
        NettyDemo demo = new NettyDemo(group, new NettyDemoHandler(answers), BatonNetty.readiness(baton));
        ChannelInitializer<Channel> connections = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel connection) {
                demo.cleartext(connection.pipeline());
            }
        };
        try {
            ServerChannel channel = BatonNetty.serverChannel(options.nettyTransport(), listener);
            ServerBootstrap bootstrap = new ServerBootstrap().group(group).childHandler(connections);
            BatonNetty.register(bootstrap, channel).syncUninterruptibly();
            baton.register(BatonNetty.manage(channel)); // accepts once this generation serves
        } catch (RuntimeException e) {
            demo.close();
            throw new IOException("cannot start Netty on " + listener + ": " + e.getMessage(), e);
        }
        if (options.warmUpRounds() > 0) { // on embedded connections: the serving generation keeps the sockets
            NettyWarmUp warmUp = BatonNetty.warmUp(connections).rounds(options.warmUpRounds())
                    .atMost(DemoServerOptions.WARM_UP_LIMIT);
            DemoServerOptions.WARM_UP_PATHS.forEach(warmUp::get);
            warmUp.run();
        }
        return demo;
    }

    /** HTTP/1.1 first; HTTP/2 after an h2c upgrade or on a connection that starts with the HTTP/2 preface. */
    private void cleartext(ChannelPipeline pipeline) {
        HttpServerCodec codec = new HttpServerCodec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().build(), http2Handlers())
                        : null);
        pipeline.addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel connection) {
                connection.pipeline().addLast(Http2FrameCodecBuilder.forServer().build()).addLast(http2Handlers());
            }
        }));
        pipeline.addLast(new Http1DrainHandler(), new Http1Start());
    }

    private ChannelHandler[] http2Handlers() {
        return new ChannelHandler[] {new Http2DrainHandler(), new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(MAX_CONTENT), readiness, handler);
            }
        })};
    }

    /**
     * Adds the HTTP/1 handlers when the first HTTP/1 message arrives, and leaves: after an h2c switch
     * they would be handed HTTP/2 frames.
     */
    private final class Http1Start extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpMessage) {
                ctx.pipeline().addLast(new HttpObjectAggregator(MAX_CONTENT), readiness, handler);
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
