package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonOptions;
import dev.baton.ListenAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The supervised mode's options: a builder, and the settings both modes share with the same defaults. */
class SupervisorOptionsTest {

    private static final List<String> COMMAND = List.of("java", "-jar", "app.jar");

    @Test
    void defaults_sharedSettings_areTheInProcessModesDefaults() {
        SupervisorOptions supervised = SupervisorOptions.of(COMMAND);
        BatonOptions inProcess = BatonOptions.defaults();

        assertThat(supervised.name()).isEqualTo(inProcess.name());
        assertThat(supervised.readyTimeout()).isEqualTo(inProcess.readyTimeout());
        assertThat(supervised.drainTimeout()).isEqualTo(inProcess.drainTimeout());
        assertThat(supervised.maxDrainingGenerations()).isEqualTo(inProcess.maxDrainingGenerations());
        assertThat(supervised.backlog()).isEqualTo(inProcess.backlog()).isEqualTo(4096);
    }

    @Test
    void builder_setsWhatItIsGiven_listenersInOrder() {
        SupervisorOptions options = SupervisorOptions.builder(COMMAND).name("shop")
                .listener("http", ListenAddress.parse(":8080")).listener("admin", ListenAddress.parse(":9090"))
                .drainTimeout(Duration.ofSeconds(5)).build();

        assertThat(options.name()).isEqualTo("shop");
        assertThat(options.listeners()).containsOnlyKeys("http", "admin");
        assertThat(List.copyOf(options.listeners().keySet())).containsExactly("http", "admin");
        assertThat(options.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.toBuilder().build()).isEqualTo(options);
    }

    @Test
    void shutdownDelay_negative_isRefusedNamingTheSetting_longerThanTheStopGrace_isWarnedWithTheNumbers() {
        SupervisorOptions options = SupervisorOptions.builder(List.of("true")).build();

        assertThat(options.shutdownDelay()).isEqualTo(Duration.ZERO);
        assertThat(options.warnings()).isEmpty();
        assertThatThrownBy(() -> options.withShutdownDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("shutdownDelay must be zero or more, not PT-1S");
        assertThat(options.withShutdownDelay(Duration.ofSeconds(12)).warnings()).singleElement().asString()
                .startsWith("shutdownDelay 12s is longer than the supervisor's stop timeout 10s")
                .contains("more than shutdownDelay + drainTimeout (42s)");
    }

    @Test
    void builder_maxDrainingZero_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SupervisorOptions.builder(COMMAND).maxDrainingGenerations(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDrainingGenerations must be at least 1, not 0");
    }

    @Test
    void builder_sameListenerTwice_isRefusedNamingIt() {
        SupervisorOptions.Builder builder = SupervisorOptions.builder(COMMAND).listener("http", ListenAddress.parse(":1"));

        assertThatThrownBy(() -> builder.listener("http", ListenAddress.parse(":2")))
                .hasMessage("listener 'http' is given twice (http=:1 and http=:2): give each listener a name of its "
                        + "own, such as http=:1 and http2=:2 (the worker finds them by name in LISTEN_FDNAMES, in "
                        + "order from fd 3)");
    }

    @Test
    void readiness_tcpWithoutANumber_isRefusedShowingTheForm() {
        assertThatThrownBy(() -> Readiness.parse("tcp:notanumber"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 'notanumber' is not a number")
                .hasMessageNotContaining("For input string");
    }
}
