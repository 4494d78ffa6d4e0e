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

        Optional<ProcessHandle> exited = awaitExit(worker);
        assertThat(exited).as("the worker exited after its supervisor's death\n" + read(workerErr)).isPresent();
        assertThat(read(workerErr)).contains("the supervisor pid " + supervisor.pid()
                + " died: draining and exiting; the process manager restarts the service");
        assertThat(descendants).as("the worker's descendants").noneMatch(ProcessHandle::isAlive);
        assertPortFree(port);
    }

    /**
     * The worker's output is the supervisor's pipe (the usual case): at the death it moves where the
     * supervisor's output went (here its log file), so the worker's death line and a request's line
     * written after the death reach the operator, and no request fails on a broken pipe.
     */
    @Test
    void supervisorKilledUnderLoad_workerOutputMovesToSupervisorsLog_requestsSucceed() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = startLineLogger("lines", List.of(), port);

        ProcessHandle worker = killUnderLoad(supervisor, port, _ -> { });

        String log = supervisor.log();
        assertThat(log.substring(log.indexOf("the supervisor pid " + supervisor.pid() + " died")))
                .as("the death line and, after it, the slow request's line, in the supervisor's log file")
                .contains("(output moved off its pipes: stdout to " + supervisor.log,
                        "served /slow in pid " + worker.pid());
    }

    /**
     * Under systemd the supervisor's output is a stream socket to the journal, which no process can reopen
     * through {@code /proc}: at the death the worker's output moves onto /dev/null (README, "Under faults").
     * Played here by a python launcher whose child reads a socketpair into the log, as journald reads its
     * stream; the supervisor writes into the other end. What must hold: no request fails on the worker's output
     * (none is a broken pipe), the request under way finishes, the worker drains and exits, the port is free.
     */
    @Test
    void supervisorKilledUnderLoad_itsOutputAJournalLikeSocket_requestsSucceedWorkerExits() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = startLineLogger("journal", JOURNAL_LIKE_OUTPUT, port);
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + supervisor.pid() + "/fd/2")).toString())
                .as("the supervisor's standard error").startsWith("socket:");

        killUnderLoad(supervisor, port, worker -> {
            java.util.Set<String> workerStdout = new java.util.LinkedHashSet<>();
            while (worker.isAlive() && !workerStdout.contains("/dev/null")) {
                try {
                    workerStdout.add(Files.readSymbolicLink(Path.of("/proc/" + worker.pid() + "/fd/1")).toString());
                } catch (java.io.IOException exited) {
                    break;
                }
                Thread.sleep(10); // sampling a descriptor the kernel gives no event for
            }
            assertThat(workerStdout).as("what the worker's standard output was while it drained")
                    .contains("/dev/null");
        });
    }

    /** A supervisor of {@link LineLoggingWorkerMain} on {@code port}, serving, under {@code launcher}. */
    private SupervisorProcess startLineLogger(String name, List<String> launcher, int port) throws Exception {
        List<String> command = new ArrayList<>(List.of(SupervisorProcess.JAVA));
        command.addAll(SupervisorProcess.JVM_FLAGS);
        command.addAll(List.of("-cp", SupervisorProcess.CLASS_PATH, LineLoggingWorkerMain.class.getName(),
                Integer.toString(port), name + "-worker"));
        SupervisorProcess supervisor = SupervisorProcess.start(directory, name, launcher,
                List.of("listen.http=127.0.0.1:" + port, "ready=notify", "drain-timeout=20s"), command);
        supervisors.add(supervisor);
        return supervisor.awaitServing();
    }

    /** What a test checks of the worker right after its supervisor's death, while it drains. */
    private interface WhileDraining {
        void check(ProcessHandle worker) throws Exception;
    }

    /**
     * SIGKILLs {@code supervisor} under a closed-loop load and with a 3 s request under way, runs
     * {@code whileDraining}, then checks what must hold after any such death: the slow request answered, no
     * request failed (500 is a failed write of the worker's line), the worker exited, the port is free.
     * Returns the worker.
     */
    private ProcessHandle killUnderLoad(SupervisorProcess supervisor, int port, WhileDraining whileDraining)
            throws Exception {
        ProcessHandle worker = ProcessHandle.of(supervisor.servingWorker()).orElseThrow();
        workers.add(worker);
        assertThat(get(port, "/")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.log().contains("served / in pid " + worker.pid()));

        java.util.concurrent.CompletableFuture<Integer> slow =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> get(port, "/slow"));
        java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread load = Thread.ofPlatform().start(() -> {
            while (loading.get()) {
                int status = get(port, "/");
                if (status < 0) {
                    return; // refused: the worker drained and closed the listener
                }
                statuses.add(status);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> statuses.size() >= 20);
        supervisor.process.destroyForcibly(); // SIGKILL, under load and with /slow under way
        supervisor.process.waitFor();
        whileDraining.check(worker);

        assertThat(slow.get(60, java.util.concurrent.TimeUnit.SECONDS)).as("the request under way at the death")
                .isEqualTo(200);
        Optional<ProcessHandle> exited = awaitExit(worker);
        loading.set(false);
        load.join();
        assertThat(exited).as("the worker exited after its supervisor's death\n" + supervisor.log()).isPresent();
        assertThat(statuses).as("answers under load (0: reset by the drain, which closed the listener)")
                .isNotEmpty().noneMatch(status -> status == 500);
        assertPortFree(port);
        return worker;
    }

    /**
     * A launcher that puts the supervisor's standard output and error on a stream socket, as systemd's journal
     * does: it forks a reader that copies the socket into the launcher's own output (the test's log file),
     * then becomes the supervisor (exec), so the supervisor keeps the launcher's pid.
     */
    private static final List<String> JOURNAL_LIKE_OUTPUT = List.of("python3", "-c", """
            import os, socket, sys
            journal, supervisor = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            if os.fork() == 0:
                supervisor.close()
                while True:
                    data = journal.recv(65536)
                    if not data:
                        os._exit(0)
                    os.write(1, data)
            journal.close()
            os.dup2(supervisor.fileno(), 1)
            os.dup2(supervisor.fileno(), 2)
            supervisor.close()
            os.execvp(sys.argv[1], sys.argv[1:])
            """);

    /**
     * A third-party worker (python) does not watch its supervisor: the supervisor's sentinel sends it SIGTERM
     * at the death, it finishes its requests and exits, and nothing holds the port.
     */
    @Test
    void supervisorKilled_pythonWorkerIsTerminatedBySentinel_portIsFree() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = SupervisorProcess.start(directory, "python",
                List.of("listen.http=127.0.0.1:" + port, "ready=notify", "drain-timeout=20s"),
                PythonWorker.command(directory, "ok"));
        supervisors.add(supervisor);
        supervisor.awaitServing();
        ProcessHandle worker = ProcessHandle.of(supervisor.servingWorker()).orElseThrow();
        workers.add(worker);
        assertThat(get(port, "/")).isEqualTo(200);

        supervisor.process.destroyForcibly(); // SIGKILL
        supervisor.process.waitFor();

        Optional<ProcessHandle> exited = awaitExit(worker);
        assertThat(exited).as("the python worker exited after its supervisor's death\n" + supervisor.log())
                .isPresent();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(supervisor.log())
                .contains("[baton sentinel] the supervisor pid " + supervisor.pid() + " died: SIGTERM to worker pid "
                        + worker.pid()));
        assertPortFree(port);
    }

    private static Optional<ProcessHandle> awaitExit(ProcessHandle worker) throws Exception {
        return Optional.ofNullable(worker.onExit().completeOnTimeout(null, 40, java.util.concurrent.TimeUnit.SECONDS)
                .get());
    }

    private static void assertPortFree(int port) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2000))
                        .as("nothing holds the port").isInstanceOf(ConnectException.class));
    }

    /** The status of {@code GET path} on a new connection, or -1 if the connection was refused. */
    private static int get(int port, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.startsWith("HTTP/1.") ? Integer.parseInt(answer.substring(9, 12)) : 0;
        } catch (ConnectException refused) {
            return -1;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(no worker output: " + e.getMessage() + ")";
        }
    }
}
