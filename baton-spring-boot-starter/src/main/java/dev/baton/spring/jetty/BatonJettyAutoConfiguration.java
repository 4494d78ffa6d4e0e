package dev.baton.spring.jetty;

import dev.baton.jetty.BatonJetty;
import dev.baton.spring.BatonAutoConfiguration;
import dev.baton.spring.BatonWebServers;
import org.eclipse.jetty.server.Server;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.context.annotation.Bean;

/** Auto-configuration of Baton's Jetty adapter, when Jetty is the embedded web server (with baton-jetty). */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass({Server.class, JettyWebServerFactory.class, BatonJetty.class})
@ConditionalOnBean(BatonWebServers.class)
public class BatonJettyAutoConfiguration {

    @Bean
    BatonJettyCustomizer batonJettyCustomizer(BatonWebServers servers) {
        return new BatonJettyCustomizer(servers);
    }
}
