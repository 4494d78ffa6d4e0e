package dev.baton.spring;

import dev.baton.Baton;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of Baton for a Spring Boot application: this generation's {@link Baton} (opened
 * with the {@code baton.*} settings; define your own {@code Baton} bean to open it yourself), the
 * lifecycle that says ready and stops the application (see {@link BatonGeneration}), and a
 * {@code baton} health contributor when Spring Boot's health module is present. The web server
 * adapters (Tomcat, Jetty) are configured beside it, in their own packages.
 *
 * <p>Off with {@code baton.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "baton.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BatonProperties.class)
public class BatonAutoConfiguration {

    /**
     * This generation's Baton: a successor takes the listeners over from its predecessor here.
     *
     * @throws IllegalStateException if Baton cannot run in this JVM, naming the JVM flag to add
     */
    @Bean(destroyMethod = "") // closed by BatonGeneration, which knows when
    @ConditionalOnMissingBean
    public Baton baton(BatonProperties properties) {
        try {
            return Baton.open(properties.toOptions());
        } catch (IllegalStateException e) {
            throw new BatonStartException("Baton cannot run in this JVM: " + e.getMessage(),
                    "Start the JVM with --enable-native-access=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED,"
                    + " or, for `java -jar`, put 'Add-Opens: java.base/sun.nio.ch' and 'Enable-Native-Access: ALL-UNNAMED'"
                    + " in the jar's manifest (see the sample's pom); or set baton.enabled=false.", e);
        } catch (IOException e) {
            throw new BatonStartException("Baton cannot start service '" + properties.getName() + "': "
                    + e.getMessage(), "Do what the description says. If another instance of the service runs, stop"
                    + " it or give this one another baton.name; check baton.pidfile and baton.control-directory.", e);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    public BatonWebServers batonWebServers(Baton baton, BatonProperties properties) {
        return new BatonWebServers(baton, properties);
    }

    @Bean
    BatonGeneration batonGeneration(Baton baton, BatonProperties properties, ApplicationContext context,
            ObjectProvider<BatonWarmUp> warmUps, BatonWebServers servers) {
        return new BatonGeneration(baton, properties, (ConfigurableApplicationContext) context,
                warmUps.orderedStream().toList(), servers);
    }

    /** The {@code baton} health contributor, with Spring Boot's health module. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "batonHealthIndicator")
        HealthIndicator batonHealthIndicator(Baton baton, BatonGeneration generation) {
            return new BatonHealthIndicator(baton, generation);
        }
    }
}
