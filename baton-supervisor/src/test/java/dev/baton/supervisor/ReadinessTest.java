package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The written forms of readiness: notify, tcp:PORT, delay=DURATION, and what is said about others. */
class ReadinessTest {

    @Test
    void parse_eachForm_readsIt() {
        assertThat(Readiness.parse(" notify ")).isEqualTo(new Readiness.Notify());
        assertThat(Readiness.parse("tcp:8080")).isEqualTo(new Readiness.Tcp(8080));
        assertThat(Readiness.parse("delay=250ms")).isEqualTo(new Readiness.Delay(Duration.ofMillis(250)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tcp:notanumber|invalid readiness 'tcp:notanumber': port 'notanumber' is not a number; write tcp:PORT, such as tcp:8080",
        "tcp:|invalid readiness 'tcp:': port '' is not a number; write tcp:PORT, such as tcp:8080",
        "tcp:70000|invalid readiness 'tcp:70000': readiness port 70000 is outside 1-65535",
        "http|invalid readiness 'http': expected notify, tcp:PORT (the worker's own port) or delay=DURATION (such as delay=2s)",
    })
    void parse_badForm_refusedNamingTheTextAndTheFormsAccepted(String text, String message) {
        assertThatThrownBy(() -> Readiness.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
