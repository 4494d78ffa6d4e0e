package dev.baton.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LoadTallyTest {

    @Test
    void answersBy_aFew_listsEach() {
        assertThat(LoadTally.Report.answersBy(new TreeMap<>(Map.of(1L, 10L, 2L, 12L))))
                .isEqualTo("2: {1=10, 2=12}");
    }

    @Test
    void answersBy_aSoaksThousand_firstAndLastThreeAndTheRange() {
        TreeMap<Long, Long> answers = new TreeMap<>();
        for (long generation = 1; generation <= 1_000; generation++) {
            answers.put(generation, 4_000 + generation);
        }

        assertThat(LoadTally.Report.answersBy(answers))
                .isEqualTo("1000: {1=4001, 2=4002, 3=4003, ..., 998=4998, 999=4999, 1000=5000}, 4,001 to 5,000 answers each");
    }
}
