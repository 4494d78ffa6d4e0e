package dev.baton.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonOptions;
import dev.baton.netty.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** How the demo server runs the Spring Boot sample: its options become the sample's Spring properties. */
@Isolated // runs alone (junit-platform.properties): it sets a system property the demo reads
class SpringDemoTest {

    private static DemoServerOptions options(DemoServerKind kind, String host) {
        BatonOptions baton = BatonOptions.builder().name("demo-8080").pidFile(Path.of("/tmp/demo.pid"))
                .readyTimeout(Duration.ofSeconds(90)).drainTimeout(Duration.ofSeconds(20)).build();
        return new DemoServerOptions(host, 8080, Path.of("/tmp/demo.properties"), baton, kind, Transport.NIO);
    }

    @Test
    void command_webflux_carriesEveryOptionAsASpringPropertyAndTheProfile() {
        List<String> command = SpringDemo.command(options(DemoServerKind.SPRING_WEBFLUX, "127.0.0.1"),
                Path.of("/x/sample.jar"));

        assertThat(command).containsSequence("-jar", "/x/sample.jar").contains("--server.port=8080",
                "--server.address=127.0.0.1", "--baton.name=demo-8080", "--baton.pidfile=/tmp/demo.pid",
                "--baton.ready-timeout=90000ms", "--baton.drain-timeout=20000ms",
                "--spring.config.additional-location=optional:file:/tmp/demo.properties",
                "--spring.profiles.active=webflux");
    }

    @Test
    void command_tomcatOnEveryAddress_noProfileAndNoAddress() {
        List<String> command = SpringDemo.command(options(DemoServerKind.SPRING_TOMCAT, ""), Path.of("/x/sample.jar"));

        assertThat(command).noneMatch(argument -> argument.startsWith("--spring.profiles.active"))
                .noneMatch(argument -> argument.startsWith("--server.address"));
    }

    @Test
    void kinds_springLabels_parseAndAreSpring() {
        assertThat(DemoServerKind.parse("spring-jetty")).isEqualTo(DemoServerKind.SPRING_JETTY);
        assertThat(DemoServerKind.SPRING_JETTY.isSpring()).isTrue();
        assertThat(DemoServerKind.NETTY.isSpring()).isFalse();
    }

    @Test
    void sampleJar_missing_namesTheJarAndHowToBuildIt() {
        String before = System.getProperty(SpringDemo.JAR_PROPERTY);
        System.setProperty(SpringDemo.JAR_PROPERTY, "/nonexistent/sample.jar");
        try {
            assertThatThrownBy(SpringDemo::sampleJar).hasMessageContaining("/nonexistent/sample.jar")
                    .hasMessageContaining("package");
        } finally {
            if (before == null) {
                System.clearProperty(SpringDemo.JAR_PROPERTY);
            } else {
                System.setProperty(SpringDemo.JAR_PROPERTY, before);
            }
        }
    }
}
