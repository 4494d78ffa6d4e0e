package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatonOptionsTest {

    @Test
    void defaults_areTheDocumentedValues() {
        BatonOptions options = BatonOptions.defaults();

        assertThat(options.name()).isEqualTo("baton");
        assertThat(options.controlDirectory()).isNull();
        assertThat(options.pidFile()).isNull();
        assertThat(options.pidFileIfSet()).isEmpty();
        assertThat(options.readyTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.stopTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.maxDrainingGenerations()).isEqualTo(2);
        assertThat(options.backlog()).isEqualTo(4096);
        assertThat(options.controlTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.shutdownDelay()).isEqualTo(Duration.ZERO);
        assertThat(options.warnings()).isEmpty();
    }

    @Test
    void with_eachSetting_changesOnlyThatSetting() {
        BatonOptions options = BatonOptions.defaults()
                .withName("shop")
                .withControlDirectory(Path.of("/run/ctl"))
                .withPidFile(Path.of("/run/shop.pid"))
                .withReadyTimeout(Duration.ofSeconds(1))
                .withDrainTimeout(Duration.ofSeconds(2))
                .withStopTimeout(Duration.ofSeconds(3))
                .withMaxDrainingGenerations(4)
                .withBacklog(5)
                .withControlTimeout(Duration.ofMillis(6))
                .withAotCache(Path.of("/var/cache/shop"))
                .withShutdownDelay(Duration.ofSeconds(7));

        assertThat(options).isEqualTo(new BatonOptions("shop", Path.of("/run/ctl"), Path.of("/run/shop.pid"),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 4, 5, Duration.ofMillis(6),
                Path.of("/var/cache/shop"), Duration.ofSeconds(7), BatonOptions.DEFAULT_PROBATION));
        assertThat(options.pidFileIfSet()).contains(Path.of("/run/shop.pid"));
        assertThat(BatonOptions.defaults().withBacklog(1).withName("baton"))
                .isEqualTo(BatonOptions.defaults().withBacklog(1));
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("name", o -> o.withName("../x"), "invalid service name '../x'"),
                invalid("name", o -> o.withName(""), "invalid service name ''"),
                invalid("name", o -> o.withName("my app"), "invalid service name 'my app'"),
                invalid("readyTimeout", o -> o.withReadyTimeout(Duration.ZERO), "readyTimeout must be positive, not PT0S"),
                invalid("readyTimeout", o -> o.withReadyTimeout(Duration.ofSeconds(-1)),
                        "readyTimeout must be positive, not PT-1S"),
                invalid("drainTimeout", o -> o.withDrainTimeout(Duration.ZERO), "drainTimeout must be positive, not PT0S"),
                invalid("stopTimeout", o -> o.withStopTimeout(Duration.ofMillis(-5)),
                        "stopTimeout must be positive, not PT-0.005S"),
                invalid("controlTimeout", o -> o.withControlTimeout(Duration.ZERO),
                        "controlTimeout must be positive, not PT0S"),
                invalid("maxDrainingGenerations", o -> o.withMaxDrainingGenerations(0),
                        "maxDrainingGenerations must be at least 1, not 0"),
                invalid("maxDrainingGenerations", o -> o.withMaxDrainingGenerations(-3),
                        "maxDrainingGenerations must be at least 1, not -3"),
                invalid("shutdownDelay", o -> o.withShutdownDelay(Duration.ofMillis(-1)),
                        "shutdownDelay must be zero or more, not PT-0.001S"),
                invalid("backlog", o -> o.withBacklog(0), "backlog must be at least 1, not 0"),
                invalid("backlog", o -> o.withBacklog(Integer.MIN_VALUE), "backlog must be at least 1, not -2147483648"),
                invalid("probation", o -> o.withProbation(Duration.ofMillis(-1)),
                        "probation must be between 0 (off) and 60s, not PT-0.001S"),
                invalid("probation", o -> o.withProbation(Duration.ofMinutes(2)),
                        "probation must be between 0 (off) and 60s, not PT2M"));
    }

    private static Arguments invalid(String setting, Function<BatonOptions, BatonOptions> change, String message) {
        return Arguments.of(setting, change, message);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("invalidValues")
    void with_invalidValue_refusedNamingTheSettingAndTheValue(
            String setting, Function<BatonOptions, BatonOptions> change, String message) {
        assertThatThrownBy(() -> change.apply(BatonOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void with_nullRequiredValue_refusedNamingTheSetting() {
        assertThatThrownBy(() -> BatonOptions.defaults().withName(null))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> BatonOptions.defaults().withReadyTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("readyTimeout");
        assertThatThrownBy(() -> BatonOptions.defaults().withDrainTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("drainTimeout");
        assertThatThrownBy(() -> BatonOptions.defaults().withStopTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("stopTimeout");
        assertThatThrownBy(() -> BatonOptions.defaults().withControlTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("controlTimeout");
        assertThatThrownBy(() -> BatonOptions.defaults().withShutdownDelay(null))
                .isInstanceOf(NullPointerException.class).hasMessage("shutdownDelay");
    }

    @Test
    void shutdownDelay_longerThanTheStopTimeout_isWarnedWithTheNumbers() {
        BatonOptions options = BatonOptions.defaults().withShutdownDelay(Duration.ofSeconds(15));

        assertThat(options.warnings()).containsExactly("shutdownDelay 15s is longer than stopTimeout 10s: a process "
                + "manager that kills after the same stop timeout (systemd's TimeoutStopSec, Kubernetes' "
                + "terminationGracePeriodSeconds) cuts the delay with SIGKILL; give it more than shutdownDelay + "
                + "drainTimeout (45s), or shorten the delay");
        assertThat(options.withShutdownDelay(Duration.ofSeconds(10)).warnings()).isEmpty();
        assertThat(options.withShutdownDelay(Duration.ofMillis(1500)).withStopTimeout(Duration.ofSeconds(1))
                .warnings()).singleElement().asString().startsWith("shutdownDelay 1500ms is longer than stopTimeout 1s");
    }

    @Test
    void with_nullOptionalPath_meansTheDefault() {
        BatonOptions options = BatonOptions.defaults().withPidFile(Path.of("/x.pid")).withPidFile(null)
                .withControlDirectory(null);

        assertThat(options).isEqualTo(BatonOptions.defaults());
    }

    @Test
    void builder_setsWhatItIsGiven_andKeepsTheDefaultsForTheRest() {
        BatonOptions options = BatonOptions.builder().name("shop").pidFile(Path.of("/run/shop.pid"))
                .drainTimeout(Duration.ofSeconds(7)).build();

        assertThat(options).isEqualTo(new BatonOptions("shop", null, Path.of("/run/shop.pid"),
                BatonOptions.DEFAULT_READY_TIMEOUT, Duration.ofSeconds(7), BatonOptions.DEFAULT_STOP_TIMEOUT,
                BatonOptions.DEFAULT_MAX_DRAINING_GENERATIONS, BatonOptions.DEFAULT_BACKLOG,
                BatonOptions.DEFAULT_CONTROL_TIMEOUT, null, BatonOptions.DEFAULT_SHUTDOWN_DELAY,
                BatonOptions.DEFAULT_PROBATION));
        assertThat(options.toBuilder().build()).isEqualTo(options);
    }

    @Test
    void builder_invalidValue_isRefusedAtBuildNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> BatonOptions.builder().maxDrainingGenerations(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDrainingGenerations must be at least 1, not 0");
    }

    @ParameterizedTest
    @MethodSource("durations")
    void parseDuration_aNumberAndAUnit_isThatDuration(String text, Duration expected) {
        assertThat(BatonOptions.parseDuration(text)).isEqualTo(expected);
    }

    static Stream<Arguments> durations() {
        return Stream.of(Arguments.of("500ms", Duration.ofMillis(500)), Arguments.of("30s", Duration.ofSeconds(30)),
                Arguments.of("2m", Duration.ofMinutes(2)), Arguments.of("1h", Duration.ofHours(1)),
                Arguments.of(" 0s ", Duration.ZERO));
    }

    @Test
    void parseDuration_bareNumber_isRefusedShowingTheForm() {
        assertThatThrownBy(() -> BatonOptions.parseDuration("30"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration '30' (a bare number has no unit): write a whole number and a unit, "
                        + "as in 500ms, 30s, 2m or 1h");
        assertThatThrownBy(() -> BatonOptions.parseDuration("2 minutes"))
                .hasMessageStartingWith("invalid duration '2 minutes': write");
    }

    @Test
    void parseDuration_negative_isRefusedSayingSo() {
        assertThatThrownBy(() -> BatonOptions.parseDuration("-1s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid duration '-1s' (a duration cannot be negative): write");
    }
}
