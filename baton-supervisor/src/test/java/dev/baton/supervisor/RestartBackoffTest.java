package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delay before a restart after a crash: doubling from 100 ms to 10 s, reset by 30 s of health. */
class RestartBackoffTest {

    @Test
    void next_repeatedCrashes_doublesFrom100msAndStopsAt10s() {
        RestartBackoff backoff = new RestartBackoff();
        List<Long> delays = new ArrayList<>();

        for (int i = 0; i < 10; i++) {
            delays.add(backoff.next().toMillis());
        }

        assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L, 10_000L);
        assertThat(backoff.current()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void crashedAfter_lessThan30sOfService_keepsTheBackoff() {
        RestartBackoff backoff = new RestartBackoff();
        backoff.next();
        backoff.next();

        backoff.crashedAfter(Duration.ofMillis(29_999));

        assertThat(backoff.current()).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void crashedAfter_30sOfService_startsOverAt100ms() {
        RestartBackoff backoff = new RestartBackoff();
        for (int i = 0; i < 8; i++) {
            backoff.next();
        }

        backoff.crashedAfter(Duration.ofSeconds(30));

        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.current()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void restore_carriedDelay_isKeptButNeverBelow100ms() {
        RestartBackoff backoff = new RestartBackoff();

        backoff.restore(3200);
        assertThat(backoff.current()).isEqualTo(Duration.ofMillis(3200));

        backoff.restore(0);
        assertThat(backoff.current()).isEqualTo(Duration.ofMillis(100));
    }
}
