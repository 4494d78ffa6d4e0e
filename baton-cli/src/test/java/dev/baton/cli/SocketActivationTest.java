package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.UpgradeResult;
import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadOptions;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The in-process mode under systemd socket activation, with systemd's own {@code systemd-socket-activate}
 * in systemd's place: the first generation takes the listener systemd passes (by name, whatever port it
 * was asked for), and its successors get it by handover, never from {@code LISTEN_FDS} again.
 */
@Isolated // runs alone (junit-platform.properties): a closed-loop load across upgrades
@Timeout(120)
class SocketActivationTest {

    private static final Path ACTIVATE = Path.of("/usr/bin/systemd-socket-activate");
    private static final int CONNECTIONS = 8;

    @TempDir
    Path directory;

    @Test
    void socketActivation_twoReloadsUnderLoad_passedListenerServesThroughoutAndSuccessorsGetItByHandover()
            throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(ACTIVATE), ACTIVATE + " is not installed");
        int activatedPort = DemoServerProcess.freePort();
        int askedPort = DemoServerProcess.freePort();
        Assumptions.assumeTrue(activatedPort != askedPort, "two distinct free ports");
        // systemd-socket-activate binds, waits for the first connection, then execs the server with only the
        // LISTEN_* variables and those named by -E in its environment
        List<String> launcher = List.of(ACTIVATE.toString(), "-l", "127.0.0.1:" + activatedPort, "--fdname=http",
                "-E", "BATON_CONTROL_DIR");
        try (DemoServerProcess server = DemoServerProcess.launch(directory, activatedPort, askedPort, launcher,
                Map.of(), "greeting=activated\n")) {
            RawHttp.Answer firstAnswer = await().atMost(DemoServerProcess.READY_WAIT)
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(ConnectException.class)
                    .until(() -> RawHttp.get(activatedPort, "/"), answer -> answer.status() == 200);
            long first = server.awaitServing();
            String listener = "http=127.0.0.1:" + activatedPort;

            assertThat(first).as("systemd-socket-activate execs the server: same pid")
                    .isEqualTo(server.firstGeneration().pid());
            assertThat(firstAnswer.pid()).isEqualTo(first);
            assertThat(firstAnswer.body()).contains("activated", "generation=1");
            assertThat(environment(first)).as("what systemd-socket-activate passed")
                    .contains("LISTEN_FDS=1", "LISTEN_PID=" + first, "LISTEN_FDNAMES=http");
            assertThat(server.status().listeners()).as("the passed listener, taken by name, not --port %d",
                    askedPort).containsExactly(listener);
            assertThat(ProcFs.listeningPorts(first)).as(server.logTail()).containsExactly(activatedPort);

            List<Long> generations = new ArrayList<>(List.of(first));
            LoadReport report;
            LoadOptions options = LoadOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    activatedPort)).withConnections(CONNECTIONS).withDuration(Duration.ofMinutes(2));
            try (LoadRun load = LoadGenerator.start(options)) {
                await().atMost(DemoServerProcess.READY_WAIT).until(() -> load.snapshot().successes() >= 200);

                UpgradeResult reload = server.reload();
                assertThat(reload.succeeded()).as("%s%s", reload, server.logTail()).isTrue();
                generations.add(reload.successorPid());
                assertTookTheListenerByHandover(server, reload.successorPid(), activatedPort);
                await().atMost(DemoServerProcess.READY_WAIT).until(() -> load.snapshot().distinctPids() >= 2);

                server.signal("HUP", reload.successorPid());
                long third = server.awaitServingOtherThan(reload.successorPid());
                generations.add(third);
                assertTookTheListenerByHandover(server, third, activatedPort);
                await().atMost(DemoServerProcess.READY_WAIT).until(() -> load.snapshot().distinctPids() >= 3);
                report = load.stop();
            }
            server.recordPids(report);
            System.out.println(report.toTable());

            assertThat(report.hasNoFailures()).as(() -> "failed requests across 2 reloads of a socket-activated "
                    + "server:\n" + report.toTable() + server.logTail()).isTrue();
            assertThat(report.pids().keySet()).as(report::toTable).containsAll(generations);
            assertThat(server.status().listeners()).containsExactly(listener);
            assertThat(RawHttp.get(activatedPort, "/").body()).contains("pid=" + generations.get(2),
                    "generation=3");
            server.awaitExit(generations.get(0));
            server.awaitExit(generations.get(1));
        }
    }

    /** The serving successor {@code pid} got no LISTEN_* variable, yet listens on the activated port only. */
    private static void assertTookTheListenerByHandover(DemoServerProcess server, long pid, int activatedPort)
            throws IOException {
        assertThat(environment(pid)).as("pid %d was given no LISTEN_* variable", pid)
                .noneMatch(variable -> variable.startsWith("LISTEN_"));
        assertThat(ProcFs.listeningPorts(pid)).as("pid %d listens on the activated socket only%s", pid,
                server.logTail()).containsExactly(activatedPort);
    }

    /** The environment {@code pid} was started with, one {@code NAME=value} per element. */
    private static List<String> environment(long pid) throws IOException {
        String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.UTF_8);
        return Arrays.asList(environ.split("\0"));
    }
}
