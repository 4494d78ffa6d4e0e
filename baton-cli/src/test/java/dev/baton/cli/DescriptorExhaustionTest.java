package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.UpgradeResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server out of file descriptors (the leaking server Baton exists to recover) keeps its control
 * socket: clients are told why they cannot be served, and once descriptors free up a reload works.
 */
class DescriptorExhaustionTest {

    /**
     * Enough for the demo server to start and serve (about 100 at rest on the tests' long class path, a
     * descriptor per jar), far fewer than the clients below.
     */
    private static final int DESCRIPTOR_LIMIT = 256;
    private static final int CLIENTS = 400;

    @TempDir
    Path directory;

    @Test
    void control_serverOutOfDescriptors_clientsToldWhy_thenReloadWorksOnceTheyAreFree() throws Exception {
        int port = DemoServerProcess.freePort();
        List<String> limited = List.of("prlimit", "--nofile=" + DESCRIPTOR_LIMIT + ":" + DESCRIPTOR_LIMIT, "--");
        try (DemoServerProcess server = DemoServerProcess.launch(directory, port, port, limited, Map.of(), "")) {
            long oldPid = server.awaitServing();
            long atRest = ProcFs.settledDescriptorCount(oldPid);
            List<RawHttp> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(RawHttp.connect(port)); // the kernel queues what the server cannot accept
                }
                AtomicReference<String> answer = new AtomicReference<>("");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    answer.set(statusOutcome(server));
                    assertThat(answer.get()).as(server.logTail()).contains("out of file descriptors");
                });
                assertThat(answer.get()).doesNotContain("nothing is listening");
                // the server may log after it answered: await its line
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(server.logText()).contains("out of file descriptors"));
                assertThat(server.logText()).doesNotContain("stopped accepting control connections");
            } finally {
                for (RawHttp client : clients) {
                    client.close();
                }
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(statusOutcome(server)).startsWith("serving"));
            // The server closes the clients' connections as it reads their end: wait for the room a successor needs.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(ProcFs.descriptorCount(oldPid))
                            .as("%s", ProcFs.describeDescriptors(oldPid)).isLessThanOrEqualTo(atRest + 4));

            UpgradeResult result = server.reload();

            assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isTrue();
            assertThat(server.awaitServingOtherThan(oldPid)).isNotEqualTo(oldPid);
        }
    }

    /** What {@code baton status} would show: the state, or the refusal's words. */
    private static String statusOutcome(DemoServerProcess server) {
        try {
            return server.status().state().toString();
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }
}
