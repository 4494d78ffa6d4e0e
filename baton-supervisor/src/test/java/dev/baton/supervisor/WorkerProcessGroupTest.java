package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.UpgradeResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose child outlives it (issue 10, item 9): a shell forks {@code sleep}, which keeps the
 * listener at descriptor 3 and the output pipes, then runs the worker. Retiring the worker ends the
 * whole process group, also after the worker itself exited cleanly, so no grandchild keeps the port
 * and the supervisor keeps no descriptor or thread for it.
 */
@Timeout(120)
class WorkerProcessGroupTest {

    private static final Pattern CHILD = Pattern.compile("\\] forked child (\\d+)");

    @TempDir
    Path directory;

    private final List<SupervisorProcess> supervisors = new ArrayList<>();
    private final List<Long> children = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        supervisors.forEach(SupervisorProcess::close);
        children.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void retire_workerExitedCleanlyLeavingAChildWithTheListener_childIsKilled_stopFreesThePort() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "sleep 1000 & echo forked child $!; exec \"$0\" \"$@\""));
        command.addAll(PythonWorker.command(directory, "ok"));
        SupervisorProcess supervisor = SupervisorProcess.start(directory, "group",
                List.of("listen.http=127.0.0.1:" + port, "ready=notify", "drain-timeout=20s"), command);
        supervisors.add(supervisor);
        supervisor.awaitServing();
        long first = supervisor.servingWorker();
        long firstChild = awaitChild(supervisor, 0);
        assertThat(ProcessHandle.of(firstChild).map(ProcessHandle::isAlive)).as("the first worker's child")
                .contains(true);
        long descriptorsBefore = descriptors(supervisor.pid());

        UpgradeResult reload = supervisor.control().reload(Duration.ofSeconds(60));
        assertThat(reload.succeeded()).as(reload.message() + "\n" + supervisor.log()).isTrue();
        long secondChild = awaitChild(supervisor, 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(firstChild).isEmpty()
                || !ProcessHandle.of(firstChild).get().isAlive());
        assertThat(supervisor.log()).contains("worker 1 (pid " + first + ") exited and left 1 processes in its "
                + "process group [" + firstChild + " (sleep)]: SIGKILL to the group");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(descriptors(supervisor.pid())).as("supervisor's descriptors after the retired worker "
                        + "and its child are gone").isEqualTo(descriptorsBefore));

        supervisor.control().stop(false);
        assertThat(supervisor.awaitExit(Duration.ofSeconds(40))).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(secondChild).isEmpty()
                || !ProcessHandle.of(secondChild).get().isAlive());
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2000))
                .as("nothing holds the port after the stop").isInstanceOf(ConnectException.class);
    }

    /** The pid of the child the {@code index}-th worker forked, from the log. */
    private long awaitChild(SupervisorProcess supervisor, int index) {
        await().atMost(Duration.ofSeconds(30)).until(() -> CHILD.matcher(supervisor.log()).results().count() > index);
        Matcher matcher = CHILD.matcher(supervisor.log());
        for (int i = 0; i <= index; i++) {
            matcher.find();
        }
        long pid = Long.parseLong(matcher.group(1));
        children.add(pid);
        return pid;
    }

    private static long descriptors(long pid) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return entries.count();
        }
    }
}
