package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import dev.baton.load.ConnectionMode;
import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadOptions;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The supervisor upgrading itself in place ({@code baton upgrade-supervisor}, SIGUSR1), with real
 * processes under a closed-loop load that never retries: the same pid, the same workers, no failed
 * request, and a reload afterwards still works; an {@code execve} that fails changes nothing.
 */
@Isolated // runs alone (junit-platform.properties): a closed-loop load across self-upgrades
@Timeout(180)
class SupervisorSelfUpgradeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

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
    void upgradeSupervisor_twiceUnderLoad_samePidSameWorkers_noRequestFails_reloadStillWorks() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = track(SupervisorProcess.start(directory, "self-upgrade",
                List.of("listen.http=127.0.0.1:" + port, "ready=notify", "drain-timeout=20s"),
                SupervisorProcess.demoWorker(port))).awaitServing();
        long supervisorPid = supervisor.pid();
        List<Long> workers = workerPids(supervisor.status());
        assertThat(workers).hasSize(1);
        LoadReport report;
        try (LoadRun run = LoadGenerator.start(load(port))) {
            awaitMoreRequests(run, 100);

            SupervisorUpgrade.Result first = SupervisorUpgrade.request(socket(supervisor), WAIT);
            assertThat(first.succeeded()).as(first.message() + "\n" + supervisor.log()).isTrue();
            assertThat(first.pid()).isEqualTo(supervisorPid);
            assertThat(first.workers()).isEqualTo(1);
            System.out.println("upgrade 1 (baton upgrade-supervisor): " + first.message());
            assertSameSupervisorAndWorkers(supervisor, workers, 1);
            awaitMoreRequests(run, 200);

            signal("USR1", supervisorPid);
            await().atMost(WAIT).until(() -> count(supervisor.log(), "upgraded in place in") >= 2);
            assertSameSupervisorAndWorkers(supervisor, workers, 2);
            awaitMoreRequests(run, 200);

            UpgradeResult reload = supervisor.control().reload(Duration.ofSeconds(90));
            assertThat(reload.succeeded()).as(reload.message() + "\n" + supervisor.log()).isTrue();
            supervisor.remember();
            await().atMost(WAIT).until(() -> run.snapshot().distinctPids() >= 2);
            awaitMoreRequests(run, 200);
            report = run.stop();
        }
        System.out.println("two supervisor upgrades and a reload under load: " + report.toSummaryLine());
        assertThat(report.hasNoFailures()).as(report.toTable() + "\n" + supervisor.log()).isTrue();
        assertThat(report.pids()).as("workers that answered").hasSizeGreaterThanOrEqualTo(2);
        String log = supervisor.log();
        log.lines().filter(line -> line.matches(".*(upgrad|re-execut|re-attached|took over|answered|drains).*"))
                .forEach(line -> System.out.println("  supervisor log: " + line));
        assertThat(log).contains("re-attached worker 1 (pid " + workers.getFirst() + "), serving",
                "answered baton upgrade-supervisor", "requested by SIGUSR1");
        // the worker carried twice is retired by the reload, by the supervisor's third program image
        await().atMost(WAIT).until(() -> supervisor.log().contains("worker 1 (pid " + workers.getFirst() + ") drains"));
        assertThat(supervisor.process.isAlive()).isTrue();
        String afterUpgrades = supervisor.log().substring(supervisor.log().lastIndexOf("upgraded in place in"));
        assertThat(afterUpgrades).as("worker 1's output, relayed by the third program image from the carried pipes")
                .contains("[worker 1 pid " + workers.getFirst() + "] ");
    }

    @Test
    void upgradeSupervisor_programMissing_itsCheckFails_goesOnServingWithTheSameSocketsAndWorkers() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        Path missing = directory.resolve("no-such-program");
        SupervisorProcess supervisor = track(SupervisorProcess.start(directory, "exec-fails", List.of(),
                List.of("listen.http=127.0.0.1:" + port, "ready=notify"), SupervisorProcess.demoWorker(port),
                Map.of(SelfExec.PROGRAM_OVERRIDE, missing.toString()))).awaitServing();
        List<Long> workers = workerPids(supervisor.status());
        TreeSet<Integer> inheritableBefore = inheritableDescriptors(supervisor.pid());
        LoadReport report;
        SupervisorUpgrade.Result result;
        try (LoadRun run = LoadGenerator.start(load(port))) {
            awaitMoreRequests(run, 100);

            result = SupervisorUpgrade.request(socket(supervisor), WAIT);
            assertThat(result.succeeded()).isFalse();
            assertThat(result.refused()).isFalse();
            assertThat(result.message()).contains("cannot run the new program " + missing + " to check it", "nothing changed")
                    .contains("pid " + supervisor.pid() + " goes on serving");
            assertSameSupervisorAndWorkers(supervisor, workers, 0);
            assertThat(inheritableDescriptors(supervisor.pid())).as("descriptors without close-on-exec")
                    .isEqualTo(inheritableBefore);
            awaitMoreRequests(run, 200);

            UpgradeResult reload = supervisor.control().reload(Duration.ofSeconds(90));
            assertThat(reload.succeeded()).as(reload.message() + "\n" + supervisor.log()).isTrue();
            supervisor.remember();
            await().atMost(WAIT).until(() -> run.snapshot().distinctPids() >= 2);
            report = run.stop();
        }
        assertThat(report.hasNoFailures()).as(report.toTable()).isTrue();
        assertThat(supervisor.log()).contains("the supervisor could not re-execute itself");
        System.out.println("failed self-upgrade under load: " + result.message() + "; " + report.toSummaryLine());
    }

    @Test
    void upgradeSupervisor_whileAReloadIsUnderWay_refused_reloadFinishes() throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        SupervisorProcess supervisor = track(SupervisorProcess.start(directory, "busy",
                List.of("listen.http=127.0.0.1:" + port, "ready=delay=3s"),
                PythonWorker.command(directory, "ok"))).awaitServing();
        CompletableFuture<UpgradeResult> reload = CompletableFuture.supplyAsync(() -> {
            try {
                return supervisor.control().reload(Duration.ofSeconds(60));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(WAIT).until(() -> supervisor.status().state().toString().equals("reloading"));

        SupervisorUpgrade.Result result = SupervisorUpgrade.request(socket(supervisor), WAIT);

        assertThat(result.refused()).isTrue();
        assertThat(result.message()).contains("a reload is under way");
        assertThat(reload.get(60, TimeUnit.SECONDS).succeeded()).isTrue();
        supervisor.remember();
        assertThat(supervisor.status().pid()).isEqualTo(supervisor.pid());
    }

    @Test
    void start_withAnInvalidCarriedState_refusedWithAClearMessage() throws Exception {
        SupervisorProcess supervisor = track(SupervisorProcess.start(directory, "bad-state", List.of(),
                List.of("listen.http=127.0.0.1:" + SupervisorUnderLoadTest.freePort(), "ready=notify"),
                List.of("sleep", "60"), Map.of(SupervisorState.VARIABLE, "baton-supervisor-state/1 pid=1")));

        assertThat(supervisor.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(supervisor.log()).contains("BATON_SUPERVISOR_STATE is invalid", "refusing to start");
        assertThat(supervisor.process.toHandle().children()).isEmpty();
    }

    private static void assertSameSupervisorAndWorkers(SupervisorProcess supervisor, List<Long> workers, int upgrades)
            throws IOException {
        ServiceStatus status = supervisor.status();
        assertThat(status.pid()).isEqualTo(supervisor.pid());
        assertThat(status.state()).hasToString("serving");
        assertThat(workerPids(status)).as(supervisor.log()).isEqualTo(workers);
        assertThat(supervisor.process.isAlive()).isTrue();
        assertThat(supervisor.process.toHandle().children().map(ProcessHandle::pid).toList())
                .containsAll(workers);
        assertThat(count(supervisor.log(), "upgraded in place in")).isEqualTo(upgrades);
    }

    private static List<Long> workerPids(ServiceStatus status) {
        return status.processes().stream().map(ServiceStatus.ProcessStatus::pid).sorted().toList();
    }

    /** The supervisor's descriptors that an execve would pass on (no O_CLOEXEC in /proc/PID/fdinfo). */
    private static TreeSet<Integer> inheritableDescriptors(long pid) throws IOException {
        TreeSet<Integer> inheritable = new TreeSet<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/" + pid + "/fdinfo"))) {
            for (Path entry : entries.toList()) {
                String info;
                try {
                    info = Files.readString(entry, StandardCharsets.US_ASCII);
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                String flags = info.lines().filter(l -> l.startsWith("flags:")).findFirst().orElse("flags: 0")
                        .substring("flags:".length()).strip();
                if ((Long.parseLong(flags, 8) & 02000000) == 0) {
                    inheritable.add(Integer.parseInt(entry.getFileName().toString()));
                }
            }
        }
        return inheritable;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private static Path socket(SupervisorProcess supervisor) {
        return supervisor.controlDirectory.resolve(supervisor.name + ".sock");
    }

    private static LoadOptions load(int port) {
        return LoadOptions.of(new InetSocketAddress("127.0.0.1", port)).withConnections(8)
                .withMode(ConnectionMode.KEEP_ALIVE).withDuration(Duration.ofMinutes(3))
                .withRequestTimeout(Duration.ofSeconds(20)).withConnectTimeout(Duration.ofSeconds(20));
    }

    private static void awaitMoreRequests(LoadRun run, long more) {
        long target = run.snapshot().successes() + more;
        await().atMost(WAIT).until(() -> {
            if (run.snapshot().done()) {
                throw new AssertionError("the load ended early");
            }
            return run.snapshot().successes() >= target;
        });
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
