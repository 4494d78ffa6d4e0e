package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter under a web server it cannot put on Baton's listener (one the application builds itself): a real
 * Spring application, with a real Baton, fails at start-up naming that server and the ones that work.
 */
class UnsupportedWebServerTest {

    @TempDir
    Path control;

    @Test
    void start_onAWebServerTheStarterDoesNotKnow_failsNamingItAndWhatToUse() {
        SpringApplication application = new SpringApplication(OwnWebServer.class);
        application.setWebApplicationType(WebApplicationType.SERVLET);
        application.setApplicationContextFactory(
                ApplicationContextFactory.ofContextClass(AnnotationConfigServletWebServerApplicationContext.class));

        assertThatThrownBy(() -> application.run(TestApplications.arguments(control, "unsupported")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Baton does not support the web server " + BindsItsOwnPort.class.getName())
                .hasMessageContaining("spring-boot-starter-tomcat").hasMessageContaining("dev.baton:baton-jetty")
                .hasMessageContaining("dev.baton:baton-netty").hasMessageContaining("baton.enabled=false");
    }

    /** An application whose servlet web server is its own, not Tomcat's or Jetty's. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(BatonAutoConfiguration.class)
    static class OwnWebServer {

        @Bean
        ServletWebServerFactory ownWebServerFactory() {
            return initializers -> new BindsItsOwnPort();
        }
    }

    /** A web server that would bind a port of its own (it binds nothing here). */
    static final class BindsItsOwnPort implements WebServer {

        @Override
        public void start() {}

        @Override
        public void stop() {}

        @Override
        public int getPort() {
            return 0;
        }
    }
}
