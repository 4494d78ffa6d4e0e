package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.UpgradeResult;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process SIGKILLed in the middle of a handover, with real demo-server processes: a dead predecessor
 * leaves its successor serving (pidfile rewritten, its log lines in the service's log), and a successor
 * dead right after ready leaves the old generation serving, with no connection refused.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HandoverFaultProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void reload_predecessorKilledWhileTheSuccessorWarmsUp_successorTakesOverServesAndLogs() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            server.writeConfig("warmup.ms=3000\n");
            CompletableFuture<UpgradeResult> reload = CompletableFuture.supplyAsync(() -> reload(server));
            awaitLog(server, "starting as the successor of pid " + oldPid);
            long successorPid = successorPid(server, oldPid);

            server.signal("KILL", oldPid);

            long newPid = awaitSuccessorAlone(server, oldPid, successorPid);
            awaitLog(server, "[gen 2 pid " + newPid + "] serving on ");
            assertThat(server.logText()).as("its log lines reach the service's log, not a dead pipe")
                    .contains("the predecessor pid " + oldPid + " (generation 1) died during the handover")
                    .contains("warming up for 3000 ms");
            assertThat(server.status().lastReload()).contains("took over from pid " + oldPid, "which died");
            reload.cancel(true); // its connection died with the predecessor
        }
    }

    @Test
    void reload_predecessorKilledAsItLaunchesTheSuccessor_successorServesOnItsOwnNoConnectionRefused()
            throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            PacedLoad load = new PacedLoad(server.port());
            try {
                CompletableFuture<UpgradeResult> reload = CompletableFuture.supplyAsync(() -> reload(server));
                awaitLog(server, "started successor pid ");
                long successorPid = successorPid(server, oldPid);

                server.signal("KILL", oldPid);

                long newPid = awaitSuccessorAlone(server, oldPid, successorPid);
                assertThat(server.status().lastReload()).as("killed before or after it connected")
                        .containsAnyOf("started on its own", "which died");
                // Killed before the successor connected, it never handed over its streams: the successor reopens
                // the log the predecessor named at launch, so its lines are not lost to the dead relay pipe.
                awaitLog(server, "pid " + newPid + "] serving on ");
                if (server.status().lastReload().contains("started on its own")) {
                    assertThat(server.logText()).contains("taking over the 1 listener(s) it was started with");
                }
                int before = load.answered.get();
                await().atMost(WAIT).until(() -> load.answered.get() > before + 20);
                reload.cancel(true);
            } finally {
                load.close();
            }
            assertThat(load.refused).as("connections refused: the successor held the listener from its spawn"
                    + server.logTail()).hasValue(0);
        }
    }

    @Test
    void reload_successorKilledRightAfterReady_oldAcceptsAgainNoConnectionRefusedReloadFails() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "", "--probation", "10s")) {
            long oldPid = server.servingPid();
            PacedLoad load = new PacedLoad(server.port());
            AtomicInteger refused = load.refused;
            AtomicInteger answered = load.answered;
            try {
                CompletableFuture<UpgradeResult> reload = CompletableFuture.supplyAsync(() -> reload(server));
                long newPid = await().atMost(DemoServerProcess.RELOAD_WAIT).pollInterval(Duration.ofMillis(5)).until(
                        () -> pidIn(server.pidFile()), pid -> pid != 0 && pid != oldPid);
                server.signal("KILL", newPid);

                UpgradeResult result = reload.get(WAIT.toSeconds(), TimeUnit.SECONDS);

                assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isFalse();
                assertThat(result.message()).contains("probation", "still serving as pid " + oldPid);
                assertThat(server.status().pid()).isEqualTo(oldPid);
                assertThat(pidIn(server.pidFile())).isEqualTo(oldPid);
                int before = answered.get();
                await().atMost(WAIT).until(() -> answered.get() > before + 20);
                assertThat(RawHttp.get(server.port(), "/").pid()).isEqualTo(oldPid);
                assertThat(server.logText()).contains("successor pid " + newPid + " died",
                        "accepting again on the listeners this generation kept");
            } finally {
                load.close();
            }
            assertThat(refused).as("connections refused" + server.logTail()).hasValue(0);
        }
    }

    /**
     * The old generation SIGKILLed during its drain (a slow request keeps it draining): the successor, which
     * already serves, serves on, its pidfile and status name it alone, and its output still reaches the
     * service's log (it took over the old one's streams at the handover).
     */
    @Test
    void reload_predecessorKilledDuringItsDrain_successorServesOnAlone() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> {
                try {
                    RawHttp.get(server.port(), "/sleep?ms=60000");
                } catch (IOException expected) {
                    // it dies with the old generation
                }
            });
            // The reload starts a JVM (seconds): the slow request is long under way by then.
            UpgradeResult result = server.reload();
            assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isTrue();
            long newPid = result.successorPid();
            awaitLog(server, "[gen 1 pid " + oldPid + "] draining");
            assertThat(ProcessHandle.of(oldPid)).as("the old generation drains the slow request").isPresent();

            server.signal("KILL", oldPid);

            slow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(RawHttp.get(server.port(), "/").pid()).isEqualTo(newPid);
            assertThat(pidIn(server.pidFile())).isEqualTo(newPid);
            await().atMost(WAIT).untilAsserted(() -> assertThat(server.status().processes())
                    .as("only the new generation is listed" + server.logTail()).singleElement()
                    .satisfies(p -> assertThat(p.pid()).isEqualTo(newPid)));
            assertThat(server.reload().succeeded()).as("a later reload works" + server.logTail()).isTrue();
            awaitLog(server, "[gen 3 pid ");
        }
    }

    private static UpgradeResult reload(DemoServerProcess server) {
        try {
            return server.reload();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long pidIn(Path pidFile) {
        try {
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Waits until the successor serves in place of the killed predecessor; its pid is in the pidfile and answers. */
    private static long awaitSuccessorAlone(DemoServerProcess server, long oldPid, long successorPid) throws Exception {
        long newPid = server.awaitServingOtherThan(oldPid);
        assertThat(newPid).isEqualTo(successorPid);
        assertThat(Files.readString(server.pidFile()).strip()).isEqualTo(Long.toString(newPid));
        assertThat(RawHttp.get(server.port(), "/").pid()).isEqualTo(newPid);
        return newPid;
    }

    private static void awaitLog(DemoServerProcess server, String text) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> server.logText().contains(text));
    }

    /** The successor the log names, recorded so the test ends it. */
    private static long successorPid(DemoServerProcess server, long oldPid) {
        String marker = "started successor pid ";
        String log = server.logText();
        int at = log.indexOf(marker);
        long pid = Long.parseLong(log.substring(at + marker.length()).split("\\D", 2)[0]);
        server.record(pid);
        return pid;
    }

    /** GET / on a new connection every 20 ms, counting refused connections and answers, until closed. */
    private static final class PacedLoad {
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        private final AtomicBoolean loading = new AtomicBoolean(true);
        private final Thread thread;

        PacedLoad(int port) {
            thread = Thread.ofPlatform().name("test-load").start(() -> {
                while (loading.get()) {
                    try {
                        if (RawHttp.get(port, "/").status() == 200) {
                            answered.incrementAndGet();
                        }
                    } catch (ConnectException e) {
                        refused.incrementAndGet();
                    } catch (IOException e) {
                        // another failure kind; these tests count refusals
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // light load: pace it
                }
            });
        }

        void close() throws InterruptedException {
            loading.set(false);
            thread.join(WAIT);
        }
    }
}
