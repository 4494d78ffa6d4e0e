package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.UpgradeResult;
import dev.baton.load.ConnectionMode;
import dev.baton.load.FailureKind;
import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadOptions;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The supervised mode's guarantee, measured with real processes under a closed-loop load that never
 * retries: reloads of a Java worker and of a python worker fail no request and keep the supervisor's
 * pid; a worker killed under load is restarted while connections wait in the listener's queue.
 */
@Isolated // runs alone (junit-platform.properties): closed-loop loads across reloads
@Timeout(180)
class SupervisorUnderLoadTest {

    private static final int RELOADS = 3;

    @TempDir
    Path directory;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void reload_javaWorkerThreeTimesUnderLoad_noRequestFails_supervisorPidUnchanged() throws Exception {
        int port = freePort();
        SupervisorProcess supervisor = track(SupervisorProcess.start(directory, "java-worker",
                List.of("listen.http=127.0.0.1:" + port, "ready=notify", "drain-timeout=20s"),
                SupervisorProcess.demoWorker(port))).awaitServing();

        LoadReport report = reloadUnderLoad(supervisor, port, ConnectionMode.KEEP_ALIVE);

        assertThat(report.hasNoFailures()).as(report.toTable()).isTrue();
        assertThat(report.pids()).as("workers that answered\n" + supervisor.log())
                .hasSizeGreaterThanOrEqualTo(RELOADS + 1);
        assertThat(supervisor.status().pid()).isEqualTo(supervisor.pid());
        assertThat(supervisor.process.isAlive()).isTrue();
    }

    @Test
    void reload_pythonWorkerThreeTimesUnderLoad_noRequestFails_supervisorPidUnchanged() throws Exception {
        int port = freePort();
        SupervisorProcess supervisor = track(SupervisorProcess.start(directory, "python-worker",
                List.of("listen.http=127.0.0.1:" + port, "ready=delay=500ms", "drain-timeout=20s"),
                PythonWorker.command(directory, "ok"))).awaitServing();

        LoadReport report = reloadUnderLoad(supervisor, port, ConnectionMode.NEW_CONNECTION);

        assertThat(report.hasNoFailures()).as(report.toTable()).isTrue();
        assertThat(report.pids()).as("workers that answered").hasSizeGreaterThanOrEqualTo(RELOADS + 1);
        assertThat(supervisor.status().pid()).isEqualTo(supervisor.pid());
    }

    @Test
    void crash_workerKilledUnderLoad_isRestarted_noConnectionRefused() throws Exception {
        int port = freePort();
        SupervisorProcess supervisor = track(SupervisorProcess.start(directory, "crash",
                List.of("listen.http=127.0.0.1:" + port, "ready=notify"),
                PythonWorker.command(directory, "ok"))).awaitServing();
        long first = supervisor.servingWorker();
        LoadReport report;
        try (LoadRun run = LoadGenerator.start(load(port, ConnectionMode.NEW_CONNECTION))) {
            awaitRequests(run, 200);
            ProcessHandle.of(first).orElseThrow().destroyForcibly(); // SIGKILL
            await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.status().processes().stream()
                    .anyMatch(p -> p.state().toString().equals("serving") && p.pid() != first));
            supervisor.remember();
            long before = run.snapshot().successes();
            await().atMost(Duration.ofSeconds(30)).until(() -> run.snapshot().successes() > before + 200);
            report = run.stop();
        }
        System.out.println("crash under load: " + report.toSummaryLine());
        System.out.println("longest wait for an answer across the restart: " + report.latency().max().toMillis()
                + " ms");
        assertThat(report.failures(FailureKind.REFUSED)).as(report.toTable()).isZero();
        assertThat(report.failures(FailureKind.TIMEOUT)).as(report.toTable()).isZero();
        assertThat(supervisor.log()).contains("on its own", "restarted: worker 2");
        assertThat(supervisor.status().pid()).isEqualTo(supervisor.pid());
    }

    private LoadReport reloadUnderLoad(SupervisorProcess supervisor, int port, ConnectionMode mode) throws Exception {
        try (LoadRun run = LoadGenerator.start(load(port, mode))) {
            awaitRequests(run, 100);
            for (int i = 0; i < RELOADS; i++) {
                UpgradeResult result = supervisor.control().reload(Duration.ofSeconds(90));
                assertThat(result.succeeded()).as(result.message() + "\n" + supervisor.log()).isTrue();
                supervisor.remember();
                int workers = i + 2;
                await().atMost(Duration.ofSeconds(60)).until(() -> run.snapshot().distinctPids() >= workers);
            }
            return run.stop();
        }
    }

    private static LoadOptions load(int port, ConnectionMode mode) {
        return LoadOptions.of(new InetSocketAddress("127.0.0.1", port)).withConnections(8).withMode(mode)
                .withDuration(Duration.ofMinutes(3)).withRequestTimeout(Duration.ofSeconds(20))
                .withConnectTimeout(Duration.ofSeconds(20));
    }

    private static void awaitRequests(LoadRun run, long successes) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (run.snapshot().done()) {
                throw new AssertionError("the load ended early");
            }
            return run.snapshot().successes() >= successes;
        });
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
