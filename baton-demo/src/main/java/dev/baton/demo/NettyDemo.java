package dev.baton.demo;

import dev.baton.Baton;
import dev.baton.ListenAddress;
import dev.baton.Listener;
import dev.baton.netty.BatonNetty;
import dev.baton.netty.NettyWarmUp;
import dev.baton.netty.ReadinessHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The demo on Netty 4.2: HTTP/1.1, h2c (prior knowledge or {@code Upgrade: h2c}) and a WebSocket echo
 * on the one Baton listener (or HTTPS, given {@link DemoTls}), on the NIO or epoll transport, each
 * protocol drained by baton-netty's handler for it ({@link NettyDemoPipeline}).
 */
final class NettyDemo implements RunningServer {

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
        NettyDemoPipeline connections = new NettyDemoPipeline(demo.handler,
                new NettyDemoWebSocket(new WebSocketEcho(baton.pid(), baton.generation())), demo.readiness,
                options.tls() == null ? null : BatonNetty.tls(options.tls().certificate(), options.tls().privateKey()));
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

    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
