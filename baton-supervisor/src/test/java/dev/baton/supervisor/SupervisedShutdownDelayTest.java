package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.UpgradeResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shutdown delay in the supervised mode, with a Baton worker (the Jetty demo server): a reload's retirement
 * never turns the service not ready; a final stop tells the worker at once (SIGWINCH), so {@code /ready} answers
 * 503 while new connections are still served for the delay, then SIGTERM drains it and the supervisor exits.
 */
@Timeout(180)
class SupervisedShutdownDelayTest {

    private static final String DELAY = "6s";

    @TempDir
    Path directory;

    /** The status code of one GET on a new connection. */
    private static int status(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return Integer.parseInt(text.substring(9, 12));
        }
    }

    @Test
    void finalStop_withShutdownDelay_workerNotReadyAtOnce_stillServes_reloadNeverTurnsItNotReady() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        try (SupervisorProcess supervisor = SupervisorProcess.start(directory, "delayed", List.of(
                "listen.http=127.0.0.1:" + port, "ready=notify", "drain-timeout=10s", "shutdown-delay=" + DELAY),
                SupervisorProcess.demoWorker(port)).awaitServing()) {
            assertThat(status(port, "/ready")).isEqualTo(200);

            UpgradeResult reload = supervisor.control().reload(Duration.ofSeconds(90));
            assertThat(reload.outcome()).as("%s", reload).isEqualTo(UpgradeResult.Outcome.SUCCEEDED);
            assertThat(status(port, "/ready")).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.status().processes().size() == 1);
            assertThat(supervisor.log()).as("a retirement is no final stop").doesNotContain("SIGWINCH");

            supervisor.control().stop(false);

            await("/ready answering 503; log:\n" + supervisor.log()).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> status(port, "/ready") == 503);
            assertThat(status(port, "/")).as("a new connection during the delay").isEqualTo(200);
            assertThat(supervisor.awaitExit(Duration.ofSeconds(90))).as(supervisor.log()).isZero();
            String log = supervisor.log();
            assertThat(log).contains("shutdown delay 6000 ms: the workers keep serving (1 of 1 told to turn not ready)",
                    "SIGWINCH: the supervisor stops the service");
            assertThat(log).doesNotContain("shutdown delay cut short");
        }
    }
}
