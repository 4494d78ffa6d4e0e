package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.SystemdNotifySocket;
import dev.baton.UpgradeResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process mode under a {@code Type=notify} unit, with the test in systemd's place: the demo server
 * started with {@code NOTIFY_SOCKET} reports ready, reloading, its new main pid and stopping, as the
 * README's unit ({@code NotifyAccess=all}, {@code ExecReload=kill -HUP $MAINPID}) relies on.
 */
@Timeout(120)
class SystemdNotifyTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Both processes read CLOCK_MONOTONIC; the margin only absorbs rounding to microseconds. */
    private static final long CLOCK_MARGIN_MICROS = Duration.ofSeconds(1).toNanos() / 1000;

    @TempDir
    Path directory;

    @Test
    void notifySocket_startReloadFailedReloadAndStop_sendReadyMainPidReloadingAndStopping() throws Exception {
        try (SystemdNotifySocket systemd = SystemdNotifySocket.atPath(directory.resolve("notify.sock"));
                DemoServerProcess server = DemoServerProcess.startWithEnvironment(directory,
                        Map.of("NOTIFY_SOCKET", systemd.address()), "greeting=one\n")) {
            long first = server.firstGeneration().pid();

            int ready = systemd.await(0, n -> n.has("READY", "1"), "READY=1", WAIT);
            assertThat(systemd.received().get(ready).fields()).as("%s", systemd.received())
                    .containsEntry("MAINPID", Long.toString(first));
            assertThat(systemd.received().subList(0, ready)).as("nothing but READY=1 at start")
                    .noneMatch(n -> n.fields().containsKey("RELOADING") || n.fields().containsKey("STOPPING"));

            // a reload: RELOADING=1 with the time it started, then the successor's MAINPID= and READY=1
            long beforeReload = System.nanoTime() / 1000;
            UpgradeResult reload = server.reload();
            long afterReload = System.nanoTime() / 1000;
            assertThat(reload.succeeded()).as("%s%s", reload, server.logTail()).isTrue();
            long second = reload.successorPid();
            int reloading = systemd.await(ready + 1, n -> n.has("RELOADING", "1"), "RELOADING=1", WAIT);
            SystemdNotifySocket.Notification reloadingMessage = systemd.received().get(reloading);
            assertThat(reloadingMessage.fields()).as("%s", reloadingMessage)
                    .containsKey("MONOTONIC_USEC").doesNotContainKey("READY").doesNotContainKey("MAINPID");
            assertThat(Long.parseLong(reloadingMessage.fields().get("MONOTONIC_USEC")))
                    .as("MONOTONIC_USEC is CLOCK_MONOTONIC in microseconds, taken when the reload started")
                    .isBetween(beforeReload - CLOCK_MARGIN_MICROS, afterReload + CLOCK_MARGIN_MICROS);
            int readyAgain = systemd.await(reloading + 1, n -> n.has("READY", "1"), "READY=1 after the reload", WAIT);
            assertThat(systemd.received().get(readyAgain).fields()).as("%s", systemd.received())
                    .containsEntry("MAINPID", Long.toString(second));
            server.awaitExit(first);

            // a failed reload: RELOADING=1, then READY=1 again, and the main pid stays the serving one
            server.writeConfig("warmup.ms=abc\n");
            UpgradeResult failed = server.reload();
            assertThat(failed.succeeded()).as("%s", failed).isFalse();
            int reloadingAgain = systemd.await(readyAgain + 1, n -> n.has("RELOADING", "1"),
                    "RELOADING=1 for the failed reload", WAIT);
            int readyAfterFailure = systemd.await(reloadingAgain + 1, n -> n.has("READY", "1"),
                    "READY=1 after the failed reload", WAIT);
            assertThat(systemd.received().subList(reloadingAgain, readyAfterFailure + 1))
                    .as("no other main pid named during the failed reload: %s", systemd.received())
                    .allMatch(n -> Objects.requireNonNullElse(n.fields().get("MAINPID"), Long.toString(second))
                            .equals(Long.toString(second)));
            assertThat(RawHttp.get(server.port(), "/").pid()).isEqualTo(second);

            // SIGTERM: STOPPING=1
            server.signal("TERM", second);
            int stopping = systemd.await(readyAfterFailure + 1, n -> n.has("STOPPING", "1"), "STOPPING=1", WAIT);
            server.awaitExit(second);

            List<String> mainPids = systemd.drain(Duration.ofMillis(200)).stream()
                    .map(n -> n.fields().get("MAINPID")).filter(Objects::nonNull).toList();
            assertThat(mainPids).as("every MAINPID= sent: %s", systemd.received())
                    .containsExactly(Long.toString(first), Long.toString(second));
            assertThat(systemd.received().subList(stopping + 1, systemd.received().size()))
                    .as("nothing after STOPPING=1").noneMatch(n -> n.has("READY", "1"));
        }
    }

    @Test
    void abstractNotifySocket_startAndReload_readyWithEachGenerationsMainPid() throws Exception {
        String name = "baton-test-notify-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (SystemdNotifySocket systemd = SystemdNotifySocket.abstractNamed(name);
                DemoServerProcess server = DemoServerProcess.startWithEnvironment(directory,
                        Map.of("NOTIFY_SOCKET", systemd.address()), "")) {
            assertThat(systemd.address()).startsWith("@");
            long first = server.firstGeneration().pid();
            int ready = systemd.await(0, n -> n.has("READY", "1"), "READY=1", WAIT);
            assertThat(systemd.received().get(ready).fields()).containsEntry("MAINPID", Long.toString(first));

            server.signal("HUP", first);
            long second = server.awaitServingOtherThan(first);

            int reloading = systemd.await(ready + 1, n -> n.has("RELOADING", "1"), "RELOADING=1", WAIT);
            int readyAgain = systemd.await(reloading + 1, n -> n.has("READY", "1"), "READY=1 after SIGHUP", WAIT);
            assertThat(systemd.received().get(readyAgain).fields()).as("%s", systemd.received())
                    .containsEntry("MAINPID", Long.toString(second));
        }
    }
}
