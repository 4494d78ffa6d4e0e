package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code demo-server --metrics} as a real process: {@code GET /metrics} is Baton's meters, carried across an upgrade. */
class DemoMetricsTest {

    @TempDir
    Path directory;

    @ParameterizedTest(name = "--server {0}")
    @ValueSource(strings = {"jetty", "netty"})
    void metrics_afterAnUpgrade_newGenerationShowsItAndTheDrain(String server) throws Exception {
        try (DemoServerRun run = DemoServerRun.start(directory, "--server", server, "--metrics")) {
            String before = get(run.port, "/metrics");
            assertThat(before).as(before).contains("baton_generation 1.0", "baton_upgrades_total{outcome=\"succeeded\"} 0.0");

            run.upgradeBySighup();
            // the old generation reports its drain, then exits: only then does it stop counting as draining
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String metrics = get(run.port, "/metrics");
                return metrics.contains("baton_drain_seconds_count 1") && metrics.contains("baton_generations_draining 0.0");
            });
            String after = get(run.port, "/metrics");

            assertThat(after).as(after).contains("baton_generation 2.0",
                    "baton_upgrades_total{outcome=\"succeeded\"} 1.0", "baton_upgrades_total{outcome=\"failed\"} 0.0",
                    "baton_upgrade_ready_seconds_count 1", "baton_hammered_connections_total 0.0",
                    "baton_generations_draining 0.0");
        }
    }

    /** One HTTP/1.1 GET on a connection of its own; the body. */
    private static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).as(response).startsWith("HTTP/1.1 200");
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }
}
