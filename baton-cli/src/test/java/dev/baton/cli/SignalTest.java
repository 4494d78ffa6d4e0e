package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.UpgradeResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signals a user sends with {@code kill}: TERM stops gracefully, HUP upgrades, one upgrade at a time. */
class SignalTest {

    @TempDir
    Path directory;

    @Test
    void sigterm_requestInFlight_requestCompletesThenExitsZeroRemovingPidfileAndControlSocket() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long pid = server.servingPid();
            assertThat(Files.readString(server.pidFile(), StandardCharsets.US_ASCII).strip())
                    .isEqualTo(Long.toString(pid));
            assertThat(server.controlSocket()).exists();
            try (RawHttp slow = RawHttp.connect(server.port())) {
                assertThat(slow.get("/").pid()).isEqualTo(pid);
                slow.send("/sleep?ms=2000");
                server.awaitRequestRead(slow);

                server.signal("TERM", pid);
                RawHttp.Answer answer = slow.receive();

                assertThat(answer.status()).as("%s%s", answer, server.logTail()).isEqualTo(200);
                assertThat(answer.body()).contains("slept 2000 ms").contains("pid=" + pid);
            }
            Process process = server.firstGeneration();
            assertThat(process.waitFor(DemoServerProcess.EXIT_WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("exited after SIGTERM%s", server.logTail()).isTrue();
            assertThat(process.exitValue()).as(server.logTail()).isZero();
            assertThat(server.pidFile()).as(server.logTail()).doesNotExist();
            assertThat(server.controlSocket()).as(server.logTail()).doesNotExist();
        }
    }

    @Test
    void sighup_servingGeneration_upgradesToANewPid() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "greeting=before\n")) {
            long oldPid = server.servingPid();
            server.writeConfig("greeting=after\n");

            server.signal("HUP", oldPid);
            long newPid = server.awaitServingOtherThan(oldPid);

            RawHttp.Answer answer = server.awaitAnswerFrom(newPid, "/");
            assertThat(answer.body()).startsWith("after: ").contains("generation=2");
            assertThat(Files.readString(server.pidFile(), StandardCharsets.US_ASCII).strip())
                    .as("the pidfile names the new generation").isEqualTo(Long.toString(newPid));
            server.awaitExit(oldPid);
        }
    }

    @Test
    void sighup_duringAnUpgrade_isRefusedWithALogLineAndTheUpgradeGoesOn() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            server.writeConfig("warmup.ms=4000\n");
            CompletableFuture<UpgradeResult> upgrade = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.reload();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await().atMost(DemoServerProcess.READY_WAIT).ignoreExceptions()
                    .until(() -> server.status().state().toString().equals("upgrading"));

            server.signal("HUP", oldPid);

            await().atMost(DemoServerProcess.READY_WAIT)
                    .until(() -> server.logText().contains("upgrade requested by SIGHUP refused"));
            assertThat(server.logText()).contains("an upgrade is already under way");
            UpgradeResult result = upgrade.get(DemoServerProcess.RELOAD_WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isTrue();
            assertThat(server.awaitServingOtherThan(oldPid)).isEqualTo(result.successorPid());
            server.awaitExit(oldPid);
            assertThat(server.status().processes()).as(() -> "no third generation was started" + server.logTail())
                    .noneMatch(p -> p.generation() > 2);
            assertThat(server.logText()).doesNotContain("generation 3");
        }
    }
}
