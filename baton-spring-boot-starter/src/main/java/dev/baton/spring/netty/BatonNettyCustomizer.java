package dev.baton.spring.netty;

import dev.baton.Listener;
import dev.baton.netty.BatonNetty;
import dev.baton.netty.Http1DrainHandler;
import dev.baton.spring.BatonWebServers;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;

/**
 * Puts a Spring Boot Reactor Netty web server (WebFlux) on Baton's listener, named by
 * {@code baton.listener} at {@code server.address}:{@code server.port}, and drains it under Baton.
 *
 * <p>Reactor Netty always binds: its server makes a fresh channel through its {@link LoopResources}
 * ({@code onChannel}) and calls {@code bind} on it. So the server runs on {@link ListenerLoopResources},
 * the loop resources it would have used (the application's {@link ReactorResourceFactory}, or Reactor
 * Netty's global ones) except that the server channel they make is Baton's listener, adopted by
 * baton-netty ({@link BatonNetty#serverChannel}) on the transport of the loops Reactor Netty chose (NIO
 * or epoll), with a handler that completes the bind of the socket bound already. Boot's web server
 * would put the resource factory's loops back after the customizers ({@code runOn}), so this takes the
 * factory from Boot's and wraps it itself.
 *
 * <p>Each HTTP/1.1 connection gets baton-netty's {@link Http1DrainHandler} after Reactor Netty's codec:
 * when the drain begins, the next response carries {@code Connection: close}, and an idle connection is
 * closed after {@code baton.idle-grace}; never a 503.
 *
 * <p>Runs last, and its server customizer is added last, so that it sees what every other customizer set.
 */
final class BatonNettyCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

    private final BatonWebServers servers;
    private final ObjectProvider<ReactorResourceFactory> resources;

    BatonNettyCustomizer(BatonWebServers servers, ObjectProvider<ReactorResourceFactory> resources) {
        this.servers = servers;
        this.resources = resources;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        Listener listener = servers.listener(factory.getAddress(), factory.getPort());
        ReactorResourceFactory resourceFactory = resources.getIfAvailable();
        // Taken from Boot's web server, which would otherwise replace the loops below with the factory's.
        factory.setResourceFactory(null);
        Duration idleGrace = servers.idleGrace();
        factory.addServerCustomizers(server -> {
            Supplier<LoopResources> loops = resourceFactory != null
                    ? resourceFactory::getLoopResources
                    : server.configuration()::loopResources;
            ListenerLoopResources adopting = new ListenerLoopResources(loops, listener,
                    channel -> servers.register(BatonNetty.manage(channel)));
            return server.runOn(adopting, server.configuration().isPreferNative())
                    .doOnChannelInit((observer, channel, remote) -> addDrainHandler(channel.pipeline(), idleGrace));
        });
    }

    private static void addDrainHandler(ChannelPipeline pipeline, Duration idleGrace) {
        if (pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec) {
            pipeline.addAfter(NettyPipeline.HttpCodec, "baton-http1-drain", new Http1DrainHandler(idleGrace));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
