package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.UpgradeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon started with its standard streams closed: the JVM puts the first files it opens at descriptors
 * 0, 1 and 2 (the JDK's lib/modules, the jar), and a successor must get /dev/null there, never those files
 * (fault tester: lib/modules as a successor's stdin, and as the stdout it took over at the handover).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StandardStreamsClosedTest {

    @TempDir
    Path directory;

    private static String descriptor(long pid, int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString();
    }

    @Test
    void reload_startedWithStdinClosed_theSuccessorsStdinIsDevNull() throws Exception {
        List<String> stdinClosed = List.of("/bin/sh", "-c", "exec \"$@\" <&-", "sh");
        int port = DemoServerProcess.freePort();
        try (DemoServerProcess server = DemoServerProcess.launch(directory, port, port, stdinClosed, Map.of(), "")) {
            long first = server.awaitServing();
            assertThat(Path.of("/proc/" + first + "/fd/0")).as("the JVM reused descriptor 0 for a file it opened")
                    .isRegularFile();

            UpgradeResult result = server.reload();

            assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isTrue();
            long second = server.awaitServingOtherThan(first);
            assertThat(descriptor(second, 0)).isEqualTo("/dev/null");
        }
    }

    @Test
    void reload_startedWithStdoutAndStderrClosed_theSuccessorWritesToDevNullNotToAFileTheJvmOpened()
            throws Exception {
        List<String> outputClosed = List.of("/bin/sh", "-c", "exec \"$@\" >&- 2>&-", "sh");
        int port = DemoServerProcess.freePort();
        try (DemoServerProcess server = DemoServerProcess.launch(directory, port, port, outputClosed, Map.of(), "")) {
            long first = server.awaitServing();
            assertThat(Path.of("/proc/" + first + "/fd/1")).as("the JVM reused descriptor 1 for a file it opened")
                    .isRegularFile();

            UpgradeResult result = server.reload();

            assertThat(result.succeeded()).as("%s", result).isTrue();
            long second = server.awaitServingOtherThan(first);
            assertThat(descriptor(second, 1)).isEqualTo("/dev/null");
            assertThat(descriptor(second, 2)).isEqualTo("/dev/null");
        }
    }
}
