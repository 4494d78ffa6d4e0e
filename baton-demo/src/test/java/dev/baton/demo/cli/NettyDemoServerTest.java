package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.load.ConnectionMode;
import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadOptions;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo-server --server netty} as a real process, upgraded by SIGHUP under a closed-loop load that never retries. */
class NettyDemoServerTest {

    private static final int UPGRADES = 3;

    @TempDir
    Path directory;

    @Test
    void nettyServer_threeSighupUpgradesUnderKeepAliveLoad_noFailedRequest_everyGenerationAnswers() throws Exception {
        try (DemoServerRun server = DemoServerRun.start(directory, "--server", "netty")) {
            LoadOptions options = LoadOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port))
                    .withConnections(16)
                    .withDuration(Duration.ofMinutes(3))
                    .withMode(ConnectionMode.KEEP_ALIVE);
            LoadReport report;
            try (LoadRun load = LoadGenerator.start(options)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.snapshot().successes() > 100);
                for (int upgrade = 1; upgrade <= UPGRADES; upgrade++) {
                    server.upgradeBySighup();
                    int pids = upgrade + 1;
                    await("answers from generation " + pids).atMost(Duration.ofSeconds(30))
                            .until(() -> load.snapshot().distinctPids() >= pids);
                }
                report = load.stop();
            }

            assertThat(report.failures()).as("failed requests: %s%nserver log:%n%s", report, server.logText()).isZero();
            assertThat(report.generations().keySet()).as("%s", report).containsExactly(1L, 2L, 3L, 4L);
            assertThat(report.pids()).hasSize(UPGRADES + 1);
        }
    }
}
