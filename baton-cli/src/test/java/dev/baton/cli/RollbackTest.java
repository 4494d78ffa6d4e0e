package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken new generation never takes the service down: it is stopped, the old generation goes on
 * serving, the failure is reported with the successor's exit status and last lines, and the next
 * attempt may come at once.
 */
class RollbackTest {

    @TempDir
    Path directory;

    private static String report(UpgradeResult result) {
        return result.message() + "\n" + String.join("\n", result.lastOutput());
    }

    private static void assertOldKeepsServing(DemoServerProcess server, long oldPid) throws Exception {
        RawHttp.Answer answer = RawHttp.get(server.port(), "/");
        assertThat(answer.status()).as("%s%s", answer, server.logTail()).isEqualTo(200);
        assertThat(answer.pid()).as("%s%s", answer, server.logTail()).isEqualTo(oldPid);
        ServiceStatus status = server.status();
        assertThat(status.pid()).as("%s", status).isEqualTo(oldPid);
        assertThat(status.state()).as("%s", status).hasToString("serving");
    }

    private static void assertGone(DemoServerProcess server, UpgradeResult result) {
        assertThat(result.successorPid()).as("a successor was started: %s", result).isPositive();
        assertThat(ProcFs.state(result.successorPid()).filter(s -> s != 'Z' && s != 'X'))
                .as("successor pid %d still runs after a failed upgrade%s", result.successorPid(), server.logTail())
                .isEmpty();
    }

    @Test
    void reload_invalidConfig_failsNamingItAndOldKeepsServing() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            assertOldKeepsServing(server, oldPid);
            server.writeConfig("greting=x\n");

            UpgradeResult result = server.reload();

            assertThat(result.succeeded()).as("%s", result).isFalse();
            assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
            assertThat(result.servingPid()).isEqualTo(oldPid);
            assertThat(result.message()).as("%s", result).contains("exited with status 2").contains("still serving");
            assertThat(report(result)).as("%s", result).contains("invalid config").contains("greting");
            assertGone(server, result);
            assertOldKeepsServing(server, oldPid);
        }
    }

    @Test
    void reload_invalidConfigValue_failsNamingTheKeyAndOldKeepsServing() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            server.writeConfig("warmup.ms=abc\n");

            UpgradeResult result = server.reload();

            assertThat(result.succeeded()).as("%s", result).isFalse();
            assertThat(report(result)).as("%s", result).contains("invalid config").contains("warmup.ms");
            assertOldKeepsServing(server, oldPid);
        }
    }

    @Test
    void reload_successorExitsWithStatusOne_reportedAndOldKeepsServing() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            server.writeConfig("startup.exit.status=1\n");

            UpgradeResult result = server.reload();

            assertThat(result.outcome()).as("%s", result).isEqualTo(UpgradeResult.Outcome.FAILED);
            assertThat(result.message()).as("%s", result).contains("exited with status 1");
            assertThat(result.lastOutput()).as("%s", result).anyMatch(line -> line.contains("startup.exit.status"));
            assertGone(server, result);
            assertOldKeepsServing(server, oldPid);
        }
    }

    @Test
    void reload_successorNeverReady_stoppedAfterTheReadyTimeoutAndOldKeepsServing() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "", "--ready-timeout", "3s")) {
            long oldPid = server.servingPid();
            server.writeConfig("warmup.ms=600000\n");

            UpgradeResult result = server.reload();

            assertThat(result.outcome()).as("%s", result).isEqualTo(UpgradeResult.Outcome.FAILED);
            assertThat(result.message()).as("%s", result).contains("not ready within 3s");
            assertGone(server, result);
            assertOldKeepsServing(server, oldPid);
        }
    }

    @Test
    void reload_afterAFailedReload_succeedsAtOnceOnceTheConfigIsFixed() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            server.writeConfig("greting=x\n");
            UpgradeResult failed = server.reload();
            assertThat(failed.succeeded()).as("%s", failed).isFalse();
            server.writeConfig("greeting=fixed\n");

            UpgradeResult result = server.reload();

            assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isTrue();
            assertThat(result.servingPid()).isEqualTo(oldPid);
            RawHttp.Answer answer = server.awaitAnswerFrom(result.successorPid(), "/");
            assertThat(answer.body()).startsWith("fixed: ").contains("generation=2");
            server.awaitExit(oldPid);
        }
    }

    @Test
    void reloadCommand_successorFails_exitsNonZeroWithTheReasonOnStderr() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            server.writeConfig("startup.exit.status=1\n");

            CliRun run = CliRun.baton(directory, server.controlDirectory(), "reload", "--socket",
                    server.controlSocket().toString());

            assertThat(run.exitCode()).as("%s%s", run, server.logTail()).isEqualTo(1);
            assertThat(run.stderr()).as("%s", run)
                    .contains("baton reload: failed:")
                    .contains("exited with status 1")
                    .contains("still serving as pid " + oldPid)
                    .contains("startup.exit.status");
            assertOldKeepsServing(server, oldPid);
        }
    }

    @Test
    void reloadCommand_succeeds_exitsZeroNamingTheNewGeneration() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();

            CliRun run = CliRun.baton(directory, server.controlDirectory(), "reload", "--name", server.name());

            assertThat(run.exitCode()).as("%s%s", run, server.logTail()).isZero();
            assertThat(run.stdout()).as("%s", run).contains("reloaded:").contains("generation 2");
            long newPid = server.awaitServingOtherThan(oldPid);
            assertThat(run.stdout()).contains("pid " + newPid);
            server.awaitExit(oldPid);
        }
    }
}
