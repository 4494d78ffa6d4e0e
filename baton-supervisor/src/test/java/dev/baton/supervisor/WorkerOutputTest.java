package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's output as the supervisor relays it (issue 10, item 11), with real processes: control
 * bytes escaped, a cut long line that leaves the next one whole, and a pipe large enough that a
 * worker writing a burst while the supervisor is stopped (SIGSTOP) is not blocked.
 */
@Timeout(120)
class WorkerOutputTest {

    private static final String WORKER = """
            import os, sys, time
            sys.stdout.write("\\x1b[31mred\\x00nul\\x7f\\ttab\\n")
            sys.stdout.write("x" * 100000 + "\\n")
            sys.stdout.write("after the long line\\n")
            sys.stdout.flush()
            directory = sys.argv[1]
            while not os.path.exists(os.path.join(directory, "go")):
                time.sleep(0.05)
            line = "y" * 1023 + "\\n"
            for _ in range(600):
                sys.stdout.write(line)
            sys.stdout.flush()
            open(os.path.join(directory, "wrote"), "w").close()
            while True:
                time.sleep(60)
            """;

    @TempDir
    Path directory;

    @Test
    void escape_controlCharactersButTab_writtenAsHex() {
        assertThat(WorkerOutput.escape("\u001b[31mred\u0000\ttab\r\u0085 back\\slash"))
                .isEqualTo("\\x1B[31mred\\x00\ttab\\x0D\\x85 back\\slash");
        assertThat(WorkerOutput.escape("plain")).isEqualTo("plain");
    }

    @Test
    void relay_escapesControlBytes_cutsALongLineWithoutSwallowingTheNext_bigPipeOutlastsAStoppedSupervisor()
            throws Exception {
        Path script = directory.resolve("worker.py");
        Files.writeString(script, WORKER);
        try (SupervisorProcess supervisor = SupervisorProcess.start(directory, "output",
                List.of("listen.http=127.0.0.1:" + SupervisorUnderLoadTest.freePort(), "ready=delay=500ms"),
                List.of("python3", script.toString(), directory.toString()))) {
            supervisor.awaitServing();
            await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.log().contains("after the long line"));
            String log = supervisor.log();
            assertThat(log).contains("] \\x1B[31mred\\x00nul\\x7F\ttab\n")
                    .doesNotContain("\u001b").doesNotContain("\u0000");
            assertThat(log).containsPattern("\\] x{" + WorkerOutput.MAX_LINE_BYTES + "}\\.\\.\\. \\("
                    + (100000 - WorkerOutput.MAX_LINE_BYTES) + " more bytes of this line cut\\)\n")
                    .containsPattern("\\[worker 1 pid \\d+\\] after the long line\n");

            signal("STOP", supervisor.pid());
            try {
                Files.createFile(directory.resolve("go"));
                await("600 KiB written while the supervisor is stopped").atMost(Duration.ofSeconds(20))
                        .until(() -> Files.exists(directory.resolve("wrote")));
            } finally {
                signal("CONT", supervisor.pid());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.log().split("y{1023}\n", -1).length > 600);
        }
    }

    private static void signal(String name, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor()).isZero();
    }
}
