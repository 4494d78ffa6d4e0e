package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.UpgradeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's recipe for recording every generation: {@code JAVA_TOOL_OPTIONS} with
 * {@code -XX:StartFlightRecording=filename=DIR/baton-%p.jfr}, one file per generation named by its pid, read with
 * the JDK's {@code jfr print --events 'dev.baton.*'}. A real demo server, upgraded once, then stopped.
 */
class JfrRecordingTest {

    @TempDir
    Path directory;

    @Test
    void javaToolOptions_eachGenerationWritesItsOwnRecording_jfrPrintShowsTheUpgradeAndTheHandover()
            throws Exception {
        Path recordings = Files.createDirectory(directory.resolve("jfr"));
        long first;
        long second;
        // HotSpot suspends threads for JFR's sampling with SIGUSR2 (12, its default, named here since the
        // harness moves it): Baton must not take those for upgrades
        try (DemoServerProcess server = DemoServerProcess.startWithEnvironment(directory, Map.of("JAVA_TOOL_OPTIONS",
                "-XX:StartFlightRecording=filename=" + recordings + "/baton-%p.jfr", "_JAVA_SR_SIGNUM", "12"), "")) {
            first = server.firstGeneration().pid();
            UpgradeResult reload = server.reload();
            assertThat(reload.succeeded()).as("%s%s", reload, server.logTail()).isTrue();
            second = reload.successorPid();
            server.awaitExit(first);
        } // stopped: the second generation drains, exits and writes its file

        assertThat(Files.readString(directory.resolve("demo-server.log"))).as("no upgrade but the test's")
                .doesNotContain("requested by SIGUSR2");
        String old = jfrPrint(recordings.resolve("baton-" + first + ".jfr"));
        assertThat(old).as(old).contains("dev.baton.ListenerBound", "dev.baton.UpgradeRequested",
                "dev.baton.SuccessorStarted", "dev.baton.SuccessorReady", "dev.baton.DrainStarted", "dev.baton.Drained",
                "pid = " + first, "generation = 1", "trigger = ");
        String next = jfrPrint(recordings.resolve("baton-" + second + ".jfr"));
        assertThat(next).as(next).contains("dev.baton.ListenerInherited", "pid = " + second, "generation = 2",
                "dev.baton.DrainStarted", "dev.baton.Drained");
    }

    /** {@code jfr print --events 'dev.baton.*' FILE}, with the JDK that runs the test. */
    private static String jfrPrint(Path recording) throws IOException, InterruptedException {
        assertThat(recording).as("the recording of a generation that exited").exists();
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Process process = new ProcessBuilder(List.of(jfr.toString(), "print", "--events", "dev.baton.*",
                recording.toString())).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("jfr print ended").isTrue();
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }
}
