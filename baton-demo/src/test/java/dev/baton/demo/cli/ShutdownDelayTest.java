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

/**
 * {@code demo-server --shutdown-delay} as a real process stopped by SIGTERM: {@code /ready} turns 503 at once,
 * new connections are still accepted and served for the delay, then it drains and exits.
 */
class ShutdownDelayTest {

    /** Long enough that the probes below land inside it on a loaded machine. */
    private static final String DELAY = "6s";

    @TempDir
    Path directory;

    /** One request on a new connection: the status line and the body. */
    record Answer(int status, String body) {}

    static Answer get(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            return new Answer(status, text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty"})
    void sigterm_withShutdownDelay_readyIs503_newConnectionsServed_thenExitsAfterTheDrain(String kind)
            throws Exception {
        try (DemoServerRun server = DemoServerRun.start(directory, "--server", kind, "--shutdown-delay", DELAY)) {
            assertThat(get(server.port, "/ready")).isEqualTo(new Answer(200, "ready\n"));
            long pid = server.servingPid();
            ProcessHandle process = ProcessHandle.of(pid).orElseThrow();

            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(pid)).inheritIO().start();
            assertThat(kill.waitFor()).isZero();

            await("/ready answering 503; log " + server.log).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50)).until(() -> get(server.port, "/ready").status() == 503);
            Answer served = get(server.port, "/");
            assertThat(served.status()).as("a new connection during the delay").isEqualTo(200);
            assertThat(served.body()).contains("pid=" + pid);
            assertThat(process.isAlive()).isTrue();

            await("pid " + pid + " exiting after the delay and the drain; log " + server.log)
                    .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !DemoServerRun.runs(process));
            String log = server.logText();
            assertThat(log).contains("still accepting and serving for the shutdown delay (" + DELAY + ")");
            assertThat(log.indexOf("shutdown delay (" + DELAY + ")")).isLessThan(log.indexOf("draining (SIGTERM)"));
            assertThat(log).doesNotContain("shutdown delay cut short");
            assertThat(log).contains("drained in");
        }
    }
}
