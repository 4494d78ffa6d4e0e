package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton status} and {@code baton stop} as real processes against a running demo server. */
class StatusCommandTest {

    @TempDir
    Path directory;

    @Test
    void statusJson_servingService_printsParseableJsonWithTheServingPid() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long pid = server.servingPid();

            CliRun run = CliRun.baton(directory, server.controlDirectory(), "status", "--json", "--name",
                    server.name());

            assertThat(run.exitCode()).as("%s", run).isZero();
            Object parsed = MiniJson.parse(run.stdout());
            assertThat(parsed).as("%s", run).isInstanceOf(Map.class);
            Map<?, ?> status = (Map<?, ?>) parsed;
            assertThat(status.get("pid")).as("%s", run).isEqualTo(pid);
            assertThat(status.get("name")).isEqualTo(server.name());
            assertThat(status.get("mode")).isEqualTo("in-process");
            assertThat(status.get("state")).isEqualTo("serving");
            assertThat(status.get("lastReload")).isEqualTo("none");
            assertThat(status.get("listeners")).isEqualTo(List.of("http=127.0.0.1:" + server.port()));
            List<?> processes = (List<?>) status.get("processes");
            assertThat(processes).hasSize(1);
            Map<?, ?> process = (Map<?, ?>) processes.getFirst();
            assertThat(process.get("pid")).isEqualTo(pid);
            assertThat(process.get("generation")).isEqualTo(1L);
            assertThat(process.get("state")).isEqualTo("serving");
        }
    }

    @Test
    void statusJson_afterAnUpgrade_namesTheNewPidAndGenerationAndCountsTheUpgradeAndTheDrain() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            var result = server.reload();
            assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isTrue();
            server.awaitServingOtherThan(oldPid);
            server.awaitExit(oldPid);
            // The old generation reports its drain just before it exits; the serving one takes it in on its own thread.
            org.awaitility.Awaitility.await().atMost(DemoServerProcess.EXIT_WAIT).until(() ->
                    dev.baton.BatonControl.at(server.controlSocket()).status().figures().lastDrain().isPresent());

            CliRun run = CliRun.baton(directory, server.controlDirectory(), "status", "--json", "--socket",
                    server.controlSocket().toString());

            assertThat(run.exitCode()).as("%s", run).isZero();
            Map<?, ?> status = (Map<?, ?>) MiniJson.parse(run.stdout());
            assertThat(status.get("pid")).as("%s", run).isEqualTo(result.successorPid());
            assertThat(status.get("state")).as("%s", run).isEqualTo("serving");
            Map<?, ?> process = (Map<?, ?>) ((List<?>) status.get("processes")).getFirst();
            assertThat(process.get("generation")).as("%s", run).isEqualTo(2L);
            Map<?, ?> figures = (Map<?, ?>) status.get("figures");
            assertThat(figures.get("upgradesSucceeded")).as("%s", run).isEqualTo(1L);
            assertThat(figures.get("upgradesFailed")).as("%s", run).isEqualTo(0L);
            assertThat(figures.get("lastTimeToReadyMillis")).as("%s", run).isInstanceOf(Long.class);
            assertThat(figures.get("lastDrainMillis")).as("%s", run).isInstanceOf(Long.class);
            assertThat(figures.get("hammered")).as("%s", run).isEqualTo(0L);
            assertThat(figures.get("generationsDraining")).as("%s", run).isEqualTo(0L);
        }
    }

    @Test
    void status_afterASuccessfulReload_reportsThatReloadAsTheLastOne() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            var result = server.reload();
            assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isTrue();
            server.awaitServingOtherThan(oldPid);

            CliRun run = CliRun.baton(directory, server.controlDirectory(), "status", "--name", server.name());

            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.stdout()).as("%s", run).contains("last reload generation 2")
                    .contains("upgrades  1 succeeded, 0 failed, 0 refused; last ready in ");
        }
    }

    @Test
    void status_servingService_namesThePidAndTheListeners() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long pid = server.servingPid();

            CliRun run = CliRun.baton(directory, server.controlDirectory(), "status", "--name", server.name());

            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.stdout()).as("%s", run)
                    .contains("service   " + server.name() + " (in-process)")
                    .contains("pid       " + pid + " serving")
                    .contains("listeners http=127.0.0.1:" + server.port())
                    .contains("generation 1");
        }
    }

    @Test
    void stop_servingService_returnsOnceTheServerHasExited_exitsZeroAndTheServerExitsZero() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long pid = server.servingPid();

            CliRun run = CliRun.baton(directory, server.controlDirectory(), "stop", "--name", server.name());

            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.stdout()).as("%s", run).contains("stopping pid " + pid)
                    .contains("pid " + pid + " exited ");
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("the server once stop returned")
                    .isEmpty();
            assertThat(server.firstGeneration().waitFor(DemoServerProcess.EXIT_WAIT.toSeconds(),
                    java.util.concurrent.TimeUnit.SECONDS)).as(server.logTail()).isTrue();
            assertThat(server.firstGeneration().exitValue()).as(server.logTail()).isZero();
            assertThat(server.controlSocket()).doesNotExist();
            assertThat(server.pidFile()).doesNotExist();
        }
    }
}
