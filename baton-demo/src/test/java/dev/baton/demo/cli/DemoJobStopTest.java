package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton demo} as a real process, stopped by SIGTERM mid-run: the demo server it started is stopped too, not orphaned. */
class DemoJobStopTest {

    private static final Pattern LOG = Pattern.compile("its log: (\\S+)demo-server\\.log\\)");

    @TempDir
    Path directory;

    @Test
    void sigterm_duringTheLoad_theJobStopsItsDemoServerAndExits() throws Exception {
        Path output = directory.resolve("demo.out");
        Process job = new ProcessBuilder(SelfCommand.of("demo", "--duration", "120s", "--connections", "2"))
                .redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ProcessHandle serverProcess = null;
        try {
            await("the job's load; output:\n" + read(output)).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> read(output).contains("Load: "));
            Matcher log = LOG.matcher(read(output));
            assertThat(log.find()).as(read(output)).isTrue();
            long server = Long.parseLong(Files.readString(Path.of(log.group(1), "demo-server.pid")).strip());
            serverProcess = ProcessHandle.of(server).orElseThrow();
            ProcessHandle watched = serverProcess;

            job.destroy(); // SIGTERM

            assertThat(job.waitFor(60, TimeUnit.SECONDS)).as("the job exits; output:\n%s", read(output)).isTrue();
            await("demo server pid " + server + " stopped").atMost(Duration.ofSeconds(30))
                    .until(() -> !DemoServerRun.runs(watched));
            assertThat(read(output)).contains("Exiting before the job is done: stopping the demo server");
        } finally {
            job.destroyForcibly();
            if (serverProcess != null) {
                serverProcess.destroyForcibly(); // the orphan this test looks for, should it be there
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
