package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@code BATON_SUCCESSOR_NICE} asks for, bad values included. */
class StartPriorityTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|0", "' 7 '|7", "19|19", "abc|10", "-5|10", "50|10", "''|10"})
    void increment_zeroToNineteen_elseTheDefault(String asked, int increment) {
        assertThat(StartPriority.increment(Map.of(StartPriority.INCREMENT_VARIABLE, asked), "")).isEqualTo(increment);
    }

    @Test
    void increment_unset_theDefault() {
        assertThat(StartPriority.increment(Map.of(), "")).isEqualTo(StartPriority.DEFAULT_INCREMENT).isEqualTo(10);
    }
}
