package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervisor killed with SIGKILL (issue 10, item 8): its Java worker notices through a pidfd, says so
 * in one line, drains and exits, so no orphan keeps the port from the restarted supervisor.
 */
@Timeout(120)
class SupervisorDeathTest {

    @TempDir
    Path directory;

    private final List<SupervisorProcess> supervisors = new ArrayList<>();
    private final List<ProcessHandle> workers = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        supervisors.forEach(SupervisorProcess::close);
        workers.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void supervisorKilled_workerSaysSoDrainsAndExits_portIsFree() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        Path workerErr = directory.resolve("worker.err");
        // The worker's standard error goes to a file (not the supervisor's pipe), so its line outlives the supervisor.
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$0\" \"$@\" 2>>" + workerErr));
        command.addAll(SupervisorProcess.demoWorker(port));
        SupervisorProcess supervisor = SupervisorProcess.start(directory, "orphan",
                List.of("listen.http=127.0.0.1:" + port, "ready=notify", "drain-timeout=20s"), command);
        supervisors.add(supervisor);
        supervisor.awaitServing();
        long workerPid = supervisor.servingWorker();
        ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow();
        workers.add(worker);
        List<ProcessHandle> descendants = worker.descendants().toList();
        workers.addAll(descendants);

        supervisor.process.destroyForcibly(); // SIGKILL
        supervisor.process.waitFor();

        Optional<ProcessHandle> exited = Optional.ofNullable(
                worker.onExit().completeOnTimeout(null, 40, java.util.concurrent.TimeUnit.SECONDS).get());
        assertThat(exited).as("the worker exited after its supervisor's death\n" + read(workerErr)).isPresent();
        assertThat(read(workerErr)).contains("the supervisor pid " + supervisor.pid()
                + " died: draining and exiting; the process manager restarts the service");
        assertThat(descendants).as("the worker's descendants").noneMatch(ProcessHandle::isAlive);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2000))
                        .as("nothing holds the port").isInstanceOf(ConnectException.class));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(no worker output: " + e.getMessage() + ")";
        }
    }
}
