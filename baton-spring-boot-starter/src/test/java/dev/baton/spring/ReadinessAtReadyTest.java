package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.ManagedServer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Readiness is ACCEPTING_TRAFFIC by the time a server starts accepting: Spring publishes it only after the
 * {@code ApplicationReadyEvent} listeners, among them the one that calls {@link Baton#ready()}, and a
 * probe answered in between (on a new generation, while its predecessor already stopped accepting) would
 * see 503.
 */
class ReadinessAtReadyTest {

    @TempDir
    Path control;

    @Test
    void ready_serverStartsAccepting_readinessIsAlreadyAcceptingTraffic() {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run(TestApplications.arguments(control, "readiness"))) {
            AtomicReference<ReadinessState> seen = context.getBean(RecordingServer.class).readinessAtStart;
            assertThat(seen.get()).as("readiness when the server was told to accept")
                    .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({BatonAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class})
    static class App {
        @Bean
        RecordingServer recordingServer(Baton baton, ApplicationAvailability availability) {
            RecordingServer server = new RecordingServer(availability);
            baton.register(server);
            return server;
        }
    }

    /** A server that only records the readiness state at the moment it is told to accept. */
    static final class RecordingServer implements ManagedServer {

        final AtomicReference<ReadinessState> readinessAtStart = new AtomicReference<>();
        private final ApplicationAvailability availability;

        RecordingServer(ApplicationAvailability availability) {
            this.availability = availability;
        }

        @Override
        public void startAccepting() {
            readinessAtStart.set(availability.getReadinessState());
        }

        @Override
        public CompletableFuture<Void> drain() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public int hammer() {
            return 0;
        }
    }
}
