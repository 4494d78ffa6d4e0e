package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.UpgradeResult;
import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadOptions;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The next upgrade may come at once: a reload sent the moment the previous one succeeded, under load, is
 * answered by the new generation and succeeds.
 */
@Isolated // runs alone (junit-platform.properties): a closed-loop load across reloads
class BackToBackReloadTest {

    private static final int RELOADS = 4;

    @TempDir
    Path directory;

    @Test
    void reload_sentTheMomentThePreviousSucceeded_isServedByTheNewGenerationAndSucceeds() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            List<UpgradeResult> results = new ArrayList<>();
            LoadOptions options = LoadOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()))
                    .withPath(DemoServerProcess.PACED)
                    .withConnections(16)
                    .withDuration(Duration.ofMinutes(3));
            LoadReport report;
            try (LoadRun load = LoadGenerator.start(options)) {
                for (int i = 1; i <= RELOADS; i++) {
                    UpgradeResult result = server.reload();
                    results.add(result);
                    if (!result.succeeded()) {
                        break;
                    }
                }
                report = load.stop();
            }
            server.recordPids(report);

            assertThat(results).as(() -> "back-to-back reloads:\n  " + String.join("\n  ",
                            results.stream().map(UpgradeResult::toString).toList()) + server.logTail())
                    .hasSize(RELOADS)
                    .allMatch(UpgradeResult::succeeded);
            assertThat(report.hasNoFailures()).as(report::toTable).isTrue();
            for (int i = 1; i < RELOADS; i++) {
                assertThat(results.get(i).servingPid()).as("reload %d was answered by the generation reload %d started",
                        i + 1, i).isEqualTo(results.get(i - 1).successorPid());
            }
        }
    }
}
