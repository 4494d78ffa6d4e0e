package dev.baton.spring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The Baton sample: a small Spring Boot REST application that upgrades in place. Run it with
 * {@code java -jar baton-spring-sample.jar [--server.port=8080] [--baton.pidfile=app.pid]}; Jetty instead
 * of Tomcat with {@code --spring.profiles.active=jetty}, WebFlux on Reactor Netty with
 * {@code --spring.profiles.active=webflux}; upgrade it with {@code kill -HUP <pid>}.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
