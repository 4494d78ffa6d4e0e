package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.internal.os.ChildProcesses;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Processes;
import dev.baton.internal.os.Spawn;
import dev.baton.internal.service.DescriptorStore;
import dev.baton.testing.SystemdNotifySocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under systemd with a file descriptor store (issue 10, item 8): the supervisor hands its listener to the
 * store; killed with SIGKILL, it is restarted as {@code Restart=always} would, with that very socket in
 * {@code LISTEN_FDS}, and a connection made while no supervisor ran (it waited in the socket's queue,
 * which the store kept open) is answered by the restarted one's worker. The test plays systemd: it
 * receives the descriptor on the notify socket, keeps it, and passes it to the restart at fd 3.
 */
@Timeout(180)
class SupervisorDescriptorStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private SupervisorProcess first;
    private final List<ProcessHandle> others = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        if (first != null) {
            first.close();
        }
        for (ProcessHandle process : others) { // the restarted supervisor's workers too, if the test failed midway
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void fdStore_listenerStored_supervisorKilledAndRestarted_takesItBackAndAnswersTheConnectionQueuedMeanwhile()
            throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        try (SystemdNotifySocket systemd = SystemdNotifySocket.atPath(directory.resolve("systemd-notify.sock"))) {
            Map<String, String> unit = Map.of("NOTIFY_SOCKET", systemd.address(), DescriptorStore.VARIABLE, "4");
            List<String> settings = List.of("name=stored", "listen.http=127.0.0.1:" + port, "ready=notify");
            first = SupervisorProcess.start(directory, "stored", List.of(), settings.subList(1, 3),
                    SupervisorProcess.demoWorker(port), unit);
            int stored = systemd.await(0, n -> n.has("FDSTORE", "1"), "FDSTORE=1", WAIT);
            SystemdNotifySocket.Notification store = systemd.received().get(stored);
            assertThat(store.fields()).containsEntry("FDNAME", "http");
            assertThat(store.descriptors()).hasSize(1);
            int kept = store.descriptors().getFirst();
            assertThat(socketsOf(first.pid())).as("the stored descriptor is the supervisor's listener")
                    .contains(link(ProcessHandle.current().pid(), kept));
            first.awaitServing();
            ProcessHandle worker = ProcessHandle.of(first.servingWorker()).orElseThrow();
            others.add(worker);

            first.process.destroyForcibly(); // SIGKILL: only systemd's store still holds the listener with the worker
            first.process.waitFor();
            assertThat(worker.onExit().completeOnTimeout(null, WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    .get()).as("the orphaned worker drained and exited\n" + first.log()).isNotNull();
            try (Socket queued = new Socket()) {
                queued.connect(new InetSocketAddress("127.0.0.1", port), 5000); // the kernel queues it: nobody accepts
                queued.setSoTimeout((int) WAIT.toMillis());
                queued.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));

                Path log = directory.resolve("restarted.log");
                long restarted = restart(kept, settings, unit, log);
                others.add(ProcessHandle.of(restarted).orElseThrow());
                String answer = new String(queued.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

                assertThat(answer).as("the queued request\n" + read(log)).startsWith("HTTP/1.1 200");
                assertThat(read(log)).contains("listening on [http=127.0.0.1:" + port + "]");
                assertThat(socketsOf(restarted)).as("the restarted supervisor holds the stored socket")
                        .contains(link(ProcessHandle.current().pid(), kept));
                stop(restarted, log);
            }
        }
    }

    /**
     * Starts the supervisor again as systemd would: {@code kept} at fd 3, {@code LISTEN_FDS=1} with its
     * name, {@code LISTEN_PID} its own pid; its output to {@code log}.
     */
    private long restart(int kept, List<String> settings, Map<String, String> unit, Path log) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c",
                "LISTEN_PID=$$; export LISTEN_PID; exec \"$0\" \"$@\" >>" + log + " 2>&1", SupervisorProcess.JAVA));
        argv.addAll(SupervisorProcess.JVM_FLAGS);
        argv.addAll(List.of("-cp", SupervisorProcess.CLASS_PATH, TestSupervisorMain.class.getName()));
        argv.addAll(settings);
        argv.add("--");
        argv.addAll(SupervisorProcess.demoWorker(Integer.parseInt(settings.get(1).substring(settings.get(1)
                .lastIndexOf(':') + 1))));
        List<String> environment = new ArrayList<>(List.of("PATH=" + System.getenv("PATH"),
                "BATON_CONTROL_DIR=" + first.controlDirectory, "LISTEN_FDS=1", "LISTEN_FDNAMES=http"));
        unit.forEach((key, value) -> environment.add(key + "=" + value));
        return Spawn.spawn("/bin/sh", argv, environment,
                new int[] {Spawn.NULL_DEVICE, Spawn.NULL_DEVICE, Spawn.NULL_DEVICE, kept});
    }

    /** SIGTERM, as systemctl stop sends; waits for the exit and reaps it (the test started it). */
    private static void stop(long pid, Path log) throws Exception {
        int pidfd = ChildProcesses.openPidfd(pid);
        try {
            Processes.kill(pid, Processes.SIGTERM);
            Optional<ChildProcesses.ExitStatus> exit = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> ChildProcesses.reap(pidfd), Optional::isPresent);
            assertThat(exit.orElseThrow().code()).as(read(log)).isZero();
        } finally {
            Descriptors.closeQuietly(pidfd);
        }
    }

    /** The sockets {@code pid} holds, as {@code socket:[inode]}. */
    private static List<String> socketsOf(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    return "";
                }
            }).filter(link -> link.startsWith("socket:")).toList();
        }
    }

    private static String link(long pid, int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
