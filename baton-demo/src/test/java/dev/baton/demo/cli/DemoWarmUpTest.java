package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadOptions;
import dev.baton.load.LoadReport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code demo-server} warms up through its own handlers before ready, by default, and not with {@code --no-warm-up}. */
class DemoWarmUpTest {

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty"})
    void demoServer_byDefault_warmsUpWithItsOwnRequestsBeforeReady_thenServes(String server) throws Exception {
        try (DemoServerRun run = DemoServerRun.start(directory, "--server", server, "--warm-up", "50")) {
            // at most 100 requests: on a loaded machine the warm-up's 5 s limit may end it sooner
            assertThat(run.logText()).containsPattern("warm-up: [1-9][0-9]* request\\(s\\) through the .* ms, 0 failed");
            assertThat(oneRequest(run.port).successes()).isEqualTo(1);
            assertThat(run.logText()).containsOnlyOnce("warm-up:");
        }
    }

    @Test
    void demoServer_noWarmUp_saysReadyWithoutOne() throws Exception {
        try (DemoServerRun run = DemoServerRun.start(directory, "--no-warm-up")) {
            assertThat(oneRequest(run.port).successes()).isEqualTo(1);
            assertThat(run.logText()).doesNotContain("warm-up:");
        }
    }

    private static LoadReport oneRequest(int port) throws InterruptedException {
        return LoadGenerator.run(LoadOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .withConnections(1).withMaxRequests(1));
    }
}
