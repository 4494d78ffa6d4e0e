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

    /** What a test checks of the successor's descriptors, while it runs. */
    private interface SuccessorCheck {
        void check(long successorPid) throws IOException;
    }

    /**
     * Starts the demo server with {@code redirections} applied by a shell ({@code "<&-"}), checks that its JVM
     * reused descriptor {@code reused} for a file it opened, reloads it, and checks the successor.
     */
    private void reloadAServerStartedWith(String redirections, int reused, SuccessorCheck check) throws Exception {
        List<String> launcher = List.of("/bin/sh", "-c", "exec \"$@\" " + redirections, "sh");
        int port = DemoServerProcess.freePort();
        try (DemoServerProcess server = DemoServerProcess.launch(directory, port, port, launcher, Map.of(), "")) {
            long first = server.awaitServing();
            assertThat(Path.of("/proc/" + first + "/fd/" + reused))
                    .as("the JVM reused descriptor %d for a file it opened", reused).isRegularFile();

            UpgradeResult result = server.reload();

            assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isTrue();
            check.check(server.awaitServingOtherThan(first));
        }
    }

    @Test
    void reload_startedWithStdinClosed_theSuccessorsStdinIsDevNull() throws Exception {
        reloadAServerStartedWith("<&-", 0, successor -> assertThat(descriptor(successor, 0)).isEqualTo("/dev/null"));
    }

    @Test
    void reload_startedWithStdoutAndStderrClosed_theSuccessorWritesToDevNullNotToAFileTheJvmOpened()
            throws Exception {
        reloadAServerStartedWith(">&- 2>&-", 1, successor -> {
            assertThat(descriptor(successor, 1)).isEqualTo("/dev/null");
            assertThat(descriptor(successor, 2)).isEqualTo("/dev/null");
        });
    }
}
