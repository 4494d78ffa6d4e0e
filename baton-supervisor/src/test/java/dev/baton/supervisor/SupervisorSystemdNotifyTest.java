package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testing.SystemdNotifySocket;
import dev.baton.UpgradeResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervised mode under a {@code Type=notify} unit ({@code NotifyAccess=main}), with the test in
 * systemd's place: the supervisor, the main process, says {@code READY=1} with its own stable pid once its
 * first worker serves and {@code STOPPING=1} when it stops; a reload never names another main pid, and
 * the workers' own notifications go to the supervisor, not to systemd.
 */
@Timeout(120)
class SupervisorSystemdNotifyTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private SupervisorProcess supervisor;

    @AfterEach
    void stopEverything() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    void notifySocket_startReloadAndStop_readyWithTheSupervisorsPidThenStopping_workersNeverNotifySystemd()
            throws Exception {
        int port = SupervisorUnderLoadTest.freePort();
        try (SystemdNotifySocket systemd = SystemdNotifySocket.atPath(directory.resolve("systemd-notify.sock"))) {
            supervisor = SupervisorProcess.start(directory, "notified", List.of(),
                    List.of("listen.http=127.0.0.1:" + port, "ready=notify"), SupervisorProcess.demoWorker(port),
                    Map.of("NOTIFY_SOCKET", systemd.address()));
            String mainPid = Long.toString(supervisor.pid());

            int ready = systemd.await(0, n -> n.has("READY", "1"), "READY=1", WAIT);
            assertThat(systemd.received().get(ready).fields()).as("%s", systemd.received())
                    .containsEntry("MAINPID", mainPid);
            supervisor.awaitServing();
            long firstWorker = supervisor.servingWorker();
            assertThat(notifySocketOf(firstWorker)).as("worker 1 reports to the supervisor, not to systemd")
                    .isNotEqualTo(systemd.address());

            UpgradeResult reload = supervisor.control().reload(WAIT);
            assertThat(reload.succeeded()).as("%s\n%s", reload, supervisor.log()).isTrue();
            assertThat(notifySocketOf(reload.successorPid())).isNotEqualTo(systemd.address());
            assertThat(supervisor.status().pid()).isEqualTo(supervisor.pid());
            List<SystemdNotifySocket.Notification> afterReload = systemd.drain(Duration.ofMillis(500));
            assertThat(afterReload).as("a reload names no other main pid, and a worker's READY=1 (pid %d, %d) "
                    + "never reaches systemd", firstWorker, reload.successorPid())
                    .allMatch(n -> Objects.requireNonNullElse(n.fields().get("MAINPID"), mainPid).equals(mainPid));
            for (int i = 0; i < afterReload.size(); i++) {
                if (afterReload.get(i).has("RELOADING", "1")) {
                    assertThat(afterReload.subList(i, afterReload.size())).as("RELOADING=1 is ended by READY=1: %s",
                            afterReload).anyMatch(n -> n.has("READY", "1"));
                }
            }

            supervisor.process.destroy(); // SIGTERM, as systemctl stop sends
            int stopping = systemd.await(ready + 1, n -> n.has("STOPPING", "1"), "STOPPING=1", WAIT);
            assertThat(supervisor.awaitExit(WAIT)).as(supervisor.log()).isZero();
            List<SystemdNotifySocket.Notification> all = systemd.drain(Duration.ofMillis(200));
            assertThat(all.subList(stopping + 1, all.size())).as("nothing but the end after STOPPING=1: %s", all)
                    .noneMatch(n -> n.has("READY", "1"));
            assertThat(all).as("every MAINPID= names the supervisor: %s", all)
                    .allMatch(n -> Objects.requireNonNullElse(n.fields().get("MAINPID"), mainPid).equals(mainPid));
        }
    }

    @Test
    void socketActivatedAndNotifySocket_firstConnectionStartsIt_readyWithTheSupervisorsPidAndTheConnectionIsServed()
            throws Exception {
        Path activate = Path.of("/usr/bin/systemd-socket-activate");
        Assumptions.assumeTrue(Files.isExecutable(activate), activate + " is not installed");
        int port = SupervisorUnderLoadTest.freePort();
        try (SystemdNotifySocket systemd = SystemdNotifySocket.atPath(directory.resolve("systemd-notify.sock"))) {
            // the README's unit with shop.socket: no --listen, the socket named http comes from systemd
            supervisor = SupervisorProcess.start(directory, "activated-notified", List.of(activate.toString(), "-l",
                    "127.0.0.1:" + port, "--fdname=http", "-E", "BATON_CONTROL_DIR", "-E",
                    "NOTIFY_SOCKET=" + systemd.address()), List.of("ready=notify"), SupervisorProcess.demoWorker(port),
                    Map.of());

            String answer = await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptionsInstanceOf(ConnectException.class)
                    .until(() -> get(port), body -> body.contains("generation=1"));
            int ready = systemd.await(0, n -> n.has("READY", "1"), "READY=1", WAIT);

            assertThat(systemd.received().get(ready).fields()).as("%s", systemd.received())
                    .containsEntry("MAINPID", Long.toString(supervisor.pid()));
            supervisor.awaitServing();
            assertThat(answer).contains("pid=" + supervisor.servingWorker());
            assertThat(supervisor.status().listeners()).containsExactly("http=127.0.0.1:" + port);
        }
    }

    private static String get(int port) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /** The NOTIFY_SOCKET in the environment {@code pid} was started with, or null. */
    private static String notifySocketOf(long pid) throws IOException {
        String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.UTF_8);
        return Arrays.stream(environ.split("\0")).filter(v -> v.startsWith("NOTIFY_SOCKET="))
                .map(v -> v.substring("NOTIFY_SOCKET=".length())).findFirst().orElse(null);
    }
}
