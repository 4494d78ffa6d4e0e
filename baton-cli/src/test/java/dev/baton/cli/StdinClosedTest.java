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
 * A daemon started with its stdin closed: the JVM puts the first file it opens at descriptor 0, and a
 * successor must get /dev/null there, not that file (fault tester: lib/modules as a successor's stdin).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StdinClosedTest {

    @TempDir
    Path directory;

    private static String stdinOf(long pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/0")).toString();
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
            assertThat(stdinOf(second)).isEqualTo("/dev/null");
        }
    }
}
