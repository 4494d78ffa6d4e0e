package dev.baton.spring.netty;

import dev.baton.netty.BatonNetty;
import dev.baton.spring.BatonAutoConfiguration;
import dev.baton.spring.BatonWebServers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.server.HttpServer;

/**
 * Auto-configuration of Baton's Reactor Netty adapter, when Reactor Netty is the embedded web server of a
 * WebFlux application (with baton-netty).
 */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass({HttpServer.class, NettyReactiveWebServerFactory.class, BatonNetty.class})
@ConditionalOnBean(BatonWebServers.class)
public class BatonNettyAutoConfiguration {

    @Bean
    BatonNettyCustomizer batonNettyCustomizer(BatonWebServers servers, ObjectProvider<ReactorResourceFactory> resources) {
        return new BatonNettyCustomizer(servers, resources);
    }
}
