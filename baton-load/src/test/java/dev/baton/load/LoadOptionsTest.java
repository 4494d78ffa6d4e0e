package dev.baton.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    private static final InetSocketAddress TARGET = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);

    @Test
    void of_target_hasTheNamedDefaults() {
        LoadOptions options = LoadOptions.of(TARGET);

        assertThat(options.path()).isEqualTo("/");
        assertThat(options.connections()).isEqualTo(32);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.mode()).isEqualTo(ConnectionMode.KEEP_ALIVE);
        assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.maxRequests()).isEqualTo(LoadOptions.NO_REQUEST_LIMIT);
    }

    @Test
    void shortConstructor_equalsTheDefaultsForTheRest() {
        LoadOptions options = new LoadOptions(TARGET, "/x", 4, Duration.ofSeconds(1), ConnectionMode.NEW_CONNECTION,
                Duration.ofMillis(300));

        assertThat(options).isEqualTo(LoadOptions.of(TARGET).withPath("/x").withConnections(4)
                .withDuration(Duration.ofSeconds(1)).withMode(ConnectionMode.NEW_CONNECTION)
                .withRequestTimeout(Duration.ofMillis(300)));
    }

    @Test
    void invalidSettings_rejectedWithTheSettingAndTheValue() {
        LoadOptions options = LoadOptions.of(TARGET);

        assertThatThrownBy(() -> options.withConnections(0))
                .hasMessage("connections must be between 1 and 10000, was 0");
        assertThatThrownBy(() -> options.withConnections(10_001))
                .hasMessage("connections must be between 1 and 10000, was 10001");
        assertThatThrownBy(() -> options.withPath("index.html"))
                .hasMessage("path must start with '/' and contain only visible ASCII characters, was 'index.html'");
        assertThatThrownBy(() -> options.withPath("/a b"))
                .hasMessage("path must start with '/' and contain only visible ASCII characters, was '/a b'");
        assertThatThrownBy(() -> options.withDuration(Duration.ZERO)).hasMessage("duration must be positive, was PT0S");
        assertThatThrownBy(() -> options.withRequestTimeout(Duration.ofNanos(10)))
                .hasMessage("requestTimeout must be at least 1 ms, was PT0.00000001S");
        assertThatThrownBy(() -> options.withConnectTimeout(Duration.ofSeconds(-1)))
                .hasMessage("connectTimeout must be at least 1 ms, was PT-1S");
        assertThatThrownBy(() -> options.withMaxRequests(0))
                .hasMessage("maxRequests must be positive (NO_REQUEST_LIMIT for none), was 0");
        assertThatThrownBy(() -> options.withMode(null))
                .isInstanceOf(NullPointerException.class).hasMessage("mode must not be null");
    }

    @Test
    void invalidTarget_rejectedWithTheTarget() {
        assertThatThrownBy(() -> LoadOptions.of(null))
                .isInstanceOf(NullPointerException.class).hasMessage("target must not be null");
        assertThatThrownBy(() -> LoadOptions.of(InetSocketAddress.createUnresolved("example.invalid", 80)))
                .hasMessageStartingWith("target must be a resolved address, was unresolved example.invalid");
        assertThatThrownBy(() -> LoadOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
                .hasMessageStartingWith("target port must be 1-65535, was 0");
    }
}
