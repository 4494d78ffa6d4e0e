package dev.baton.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.UpgradeResult;
import dev.baton.UpgradeResult.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the client makes of a reload's answer: succeeded, refused (nothing begun) or failed. */
class ReloadResultsTest {

    private static Outcome roundTrip(UpgradeResult result) {
        return ReloadResults.fromMessage(ReloadResults.toMessage(result)).outcome();
    }

    @Test
    void fromMessage_eachOutcome_survivesTheWire() {
        assertThat(roundTrip(new UpgradeResult(Outcome.SUCCEEDED, 10, 11, 2, Duration.ofMillis(700), "ready", List.of())))
                .isEqualTo(Outcome.SUCCEEDED);
        assertThat(roundTrip(new UpgradeResult(Outcome.REFUSED, 10, 0, 0, Duration.ZERO, "an upgrade is already under way",
                List.of()))).isEqualTo(Outcome.REFUSED);
        assertThat(roundTrip(new UpgradeResult(Outcome.FAILED, 10, 11, 2, Duration.ofSeconds(1), "exited", List.of())))
                .isEqualTo(Outcome.FAILED);
    }

    /** A successor that could not be started at all (EMFILE, no java) has no pid, but its generation began. */
    @Test
    void fromMessage_aSuccessorThatCouldNotBeStarted_failedNotRefused() {
        UpgradeResult notStarted = new UpgradeResult(Outcome.FAILED, 10, 0, 2, Duration.ofMillis(5),
                "cannot start the successor: posix_spawn(/opt/jdk/bin/java) failed: ENOENT", List.of());

        assertThat(roundTrip(notStarted)).isEqualTo(Outcome.FAILED);
    }
}
