package dev.baton.spring.tomcat;

import dev.baton.spring.BatonAutoConfiguration;
import dev.baton.spring.BatonWebServers;
import org.apache.catalina.startup.Tomcat;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.context.annotation.Bean;

/** Auto-configuration of Baton's Tomcat adapter, when Tomcat is the embedded web server. */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass({Tomcat.class, TomcatWebServerFactory.class})
@ConditionalOnBean(BatonWebServers.class)
public class BatonTomcatAutoConfiguration {

    @Bean
    BatonTomcatCustomizer batonTomcatCustomizer(BatonWebServers servers) {
        return new BatonTomcatCustomizer(servers);
    }
}
