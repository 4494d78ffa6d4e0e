package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Failed reloads, bad input, descriptor hygiene, status and stop, with real supervisor and worker processes. */
@Timeout(120)
class SupervisorBehaviourTest {

    @TempDir
    Path directory;

    private final List<SupervisorProcess> supervisors = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        supervisors.forEach(SupervisorProcess::close);
    }

    private SupervisorProcess start(String name, List<String> settings, List<String> command) throws IOException {
        SupervisorProcess supervisor = SupervisorProcess.start(directory, name, settings, command);
        supervisors.add(supervisor);
        return supervisor;
    }

    @Test
    void reload_newWorkerNeverReady_failsAfterReadyTimeout_oldKeepsServing() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        // 5 s, not less: the first (ready) worker is a python3 start, slow on a loaded 2-core machine.
        SupervisorProcess supervisor = start("never-ready", List.of("listen.http=127.0.0.1:" + port,
                "ready=notify", "ready-timeout=5s"), PythonWorker.command(directory, "ok")).awaitServing();
        long serving = supervisor.servingWorker();
        PythonWorker.setMode(directory, "never-ready");

        UpgradeResult result = supervisor.control().reload(Duration.ofSeconds(30));

        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(result.message()).contains("was not ready within 5s", "stopped it",
                "worker 1 (pid " + serving + ") still serves");
        assertThat(result.lastOutput()).contains("starting forever");
        assertThat(get(port)).contains("pid=" + serving);
        assertThat(supervisor.status().processes()).extracting(ServiceStatus.ProcessStatus::pid).containsExactly(serving);
        assertThat(supervisor.status().lastReload()).contains("was not ready within 5s");
    }

    @Test
    void reload_newWorkerExits1_failsWithItsStatusAndLastLines_oldKeepsServing() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = start("exits", List.of("listen.http=127.0.0.1:" + port, "ready=notify"),
                PythonWorker.command(directory, "ok")).awaitServing();
        long serving = supervisor.servingWorker();
        PythonWorker.setMode(directory, "exit1");

        UpgradeResult result = supervisor.control().reload(Duration.ofSeconds(30));

        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(result.message()).contains("exited with status 1 before it was ready",
                "worker 1 (pid " + serving + ") still serves");
        assertThat(result.lastOutput()).contains("broken configuration: exiting with status 1");
        assertThat(get(port)).contains("pid=" + serving);

        PythonWorker.setMode(directory, "ok");
        UpgradeResult next = supervisor.control().reload(Duration.ofSeconds(30));
        assertThat(next.succeeded()).as(next.message()).isTrue();
        assertThat(get(port)).contains("pid=" + next.successorPid());
    }

    @Test
    void start_commandDoesNotExist_exits1ReportingStatus127() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = start("missing", List.of("listen.http=127.0.0.1:" + port, "ready=notify"),
                List.of("/no/such/server", "--flag"));

        assertThat(supervisor.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(supervisor.log()).contains("exited with status 127 (command not found) before it was ready",
                "/no/such/server", "not found");
        assertThat(supervisor.controlDirectory.resolve("missing.sock")).doesNotExist();
    }

    @Test
    void start_portInUse_exits1NamingTheListenerThePortAndItsHolder() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            SupervisorProcess supervisor = start("port-in-use", List.of("listen.http=127.0.0.1:"
                    + taken.getLocalPort(), "ready=delay=100ms"), List.of("sleep", "1000"));

            assertThat(supervisor.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(supervisor.log()).contains("cannot listen on http=127.0.0.1:" + taken.getLocalPort(),
                    "held by pid " + ProcessHandle.current().pid() + " (", "; stop it or choose another port");
        }
    }

    @Test
    void worker_getsOnlyStandardStreamsAndListeners_noDescriptorOfTheSupervisorLeaks() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        Path unixSocket = directory.resolve("admin.sock");
        SupervisorProcess supervisor = start("fds", List.of("listen.http=127.0.0.1:" + port,
                "listen.admin=unix:" + unixSocket, "ready=delay=100ms"), List.of("sleep", "1000")).awaitServing();
        long worker = supervisor.servingWorker();

        Set<Integer> fds;
        try (Stream<Path> entries = Files.list(Path.of("/proc/" + worker + "/fd"))) {
            fds = entries.map(p -> Integer.parseInt(p.getFileName().toString())).collect(Collectors.toSet());
        }
        assertThat(fds).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + worker + "/fd/0")).toString()).isEqualTo("/dev/null");
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + worker + "/fd/3")).toString()).startsWith("socket:");
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + worker + "/fd/4")).toString()).startsWith("socket:");
        String environment = Files.readString(Path.of("/proc/" + worker + "/environ")).replace('\0', '\n');
        assertThat(environment).contains("LISTEN_FDS=2\n", "LISTEN_FDNAMES=http:admin\n",
                "LISTEN_PID=" + worker + "\n", "BATON_SUPERVISOR_PID=" + supervisor.pid() + "\n",
                "BATON_GENERATION=1\n");
    }

    @Test
    void worker_python_isBornWithFdsZeroToThreeOnly() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = start("python-fds", List.of("listen.http=127.0.0.1:" + port, "ready=notify"),
                PythonWorker.command(directory, "ok")).awaitServing();
        // the worker lists /proc/self/fd before opening anything; listing it opens one more (4)
        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.log().contains("born with fds"));
        assertThat(supervisor.log()).contains("] born with fds [0, 1, 2, 3, 4]");
        assertThat(supervisor.log()).containsPattern("\\[worker 1 pid \\d+\\] born with fds");
    }

    @Test
    void status_reportsSupervisedModeListenersWorkersAndLastReload() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = start("status", List.of("listen.http=127.0.0.1:" + port, "ready=notify"),
                PythonWorker.command(directory, "ok")).awaitServing();
        UpgradeResult reload = supervisor.control().reload(Duration.ofSeconds(30));

        ServiceStatus status = supervisor.status();

        assertThat(status.pid()).isEqualTo(supervisor.pid());
        assertThat(status.mode()).hasToString("supervised");
        assertThat(status.name()).isEqualTo("status");
        assertThat(status.state()).hasToString("serving");
        assertThat(status.listeners()).containsExactly("http=127.0.0.1:" + port);
        assertThat(status.processes()).anySatisfy(p -> {
            assertThat(p.pid()).isEqualTo(reload.successorPid());
            assertThat(p.generation()).isEqualTo(2);
            assertThat(p.state()).hasToString("serving");
        });
        assertThat(status.lastReload()).isEqualTo(reload.message());
        // The old worker's exit ends its drain: the figures show it once it has exited.
        ServiceStatus.Figures figures = await("the old worker's drain in the figures; log:\n" + supervisor.log())
                .atMost(Duration.ofSeconds(60)).until(() -> supervisor.status().figures(),
                        f -> f.lastDrain().isPresent() && f.generationsDraining() == 0);
        assertThat(figures.upgradesSucceeded()).isEqualTo(1);
        assertThat(figures.lastTimeToReady()).isPresent();
        assertThat(figures.hammered()).as("a supervisor counts no connection").isZero();
    }

    @Test
    void stop_drainsTheWorkerAndRemovesControlSocketNotifySocketAndPidfile() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        Path pidFile = directory.resolve("supervisor.pid");
        SupervisorProcess supervisor = start("stop", List.of("listen.http=127.0.0.1:" + port, "ready=notify",
                "pidfile=" + pidFile), PythonWorker.command(directory, "ok")).awaitServing();
        assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(supervisor.pid()));
        assertThat(supervisor.controlDirectory.resolve("stop.worker-1.notify")).exists();

        long stopping = supervisor.control().stop(false);

        assertThat(stopping).isEqualTo(supervisor.pid());
        assertThat(supervisor.awaitExit(Duration.ofSeconds(30))).isZero();
        assertThat(supervisor.log()).contains("] drained", "worker 1", "exited with status 0", "stopped");
        assertThat(pidFile).doesNotExist();
        try (Stream<Path> left = Files.list(supervisor.controlDirectory)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void stopNow_killsTheWorkerAtOnce() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = start("stop-now", List.of("listen.http=127.0.0.1:" + port,
                "ready=delay=100ms", "drain-timeout=60s"), List.of("sleep", "1000")).awaitServing();

        supervisor.control().stop(true);

        assertThat(supervisor.awaitExit(Duration.ofSeconds(20))).isZero();
        assertThat(supervisor.log()).contains("was killed by signal 9 (SIGKILL)");
    }

    @Test
    void reload_pastTheDrainingCap_oldestDrainingWorkerIsKilled() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        // sh ignores SIGTERM here, so every old worker keeps draining until killed
        SupervisorProcess supervisor = start("cap", List.of("listen.http=127.0.0.1:" + port, "ready=delay=100ms",
                "max-draining=1", "drain-timeout=20s"),
                List.of("sh", "-c", "trap '' TERM; while :; do sleep 1; done")).awaitServing();
        long first = supervisor.servingWorker();

        assertThat(supervisor.control().reload(Duration.ofSeconds(30)).succeeded()).isTrue();
        assertThat(supervisor.control().reload(Duration.ofSeconds(30)).succeeded()).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(first).isEmpty()
                || !ProcessHandle.of(first).get().isAlive());
        assertThat(supervisor.log()).contains("more than the cap of 1: SIGKILL to the oldest, worker 1 (pid "
                + first + ")");
        assertThat(supervisor.status().processes()).hasSize(2);
        supervisor.control().stop(true);
        assertThat(supervisor.awaitExit(Duration.ofSeconds(20))).isZero();
    }

    @Test
    void socketActivation_supervisorTakesItsListenerFromSystemd_byName() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-socket-activate")),
                "systemd-socket-activate is not installed");
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = start("activated", List.of("/usr/bin/systemd-socket-activate",
                "-l", "127.0.0.1:" + port, "--fdname=http", "-E", "BATON_CONTROL_DIR"), List.of("ready=notify"),
                PythonWorker.command(directory, "ok"));

        // systemd-socket-activate binds, then starts the supervisor at the first connection, which waits in the
        // queue meanwhile; retried only until systemd-socket-activate itself listens
        await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(java.net.ConnectException.class)
                .until(() -> get(port).contains("generation=1"));
        supervisor.awaitServing();
        assertThat(supervisor.status().listeners()).containsExactly("http=127.0.0.1:" + port);
        assertThat(supervisor.control().reload(Duration.ofSeconds(30)).succeeded()).isTrue();
        assertThat(get(port)).contains("generation=2");
    }

    private SupervisorProcess start(String name, List<String> launcher, List<String> settings, List<String> command)
            throws IOException {
        SupervisorProcess supervisor = SupervisorProcess.start(directory, name, launcher, settings, command);
        supervisors.add(supervisor);
        return supervisor;
    }

    private static String get(int port) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
