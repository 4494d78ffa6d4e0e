package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.UpgradeResult;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --port 0}: the system chooses the port once; upgrades keep it, since the socket is inherited. */
class PortZeroTest {

    @TempDir
    Path directory;

    @Test
    void upgrade_portZero_successorServesOnTheSameChosenPort() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.startOnPort(directory, 0, "")) {
            long oldPid = server.servingPid();
            Set<Integer> ports = ProcFs.listeningPorts(oldPid);
            assertThat(ports).as(server.logTail()).hasSize(1);
            int port = ports.iterator().next();
            assertThat(RawHttp.get(port, "/").pid()).isEqualTo(oldPid);

            UpgradeResult result = server.reload();

            assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isTrue();
            assertThat(ProcFs.listeningPorts(result.successorPid())).as(server.logTail()).containsExactly(port);
            RawHttp.Answer answer = RawHttp.get(port, "/");
            assertThat(answer.status()).isEqualTo(200);
            server.awaitExit(oldPid);
            assertThat(RawHttp.get(port, "/").pid()).isEqualTo(result.successorPid());
        }
    }

    @Test
    void status_portZero_namesThePortTheSystemChose() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.startOnPort(directory, 0, "")) {
            long pid = server.servingPid();
            int port = ProcFs.listeningPorts(pid).iterator().next();

            CliRun run = CliRun.baton(directory, server.controlDirectory(), "status", "--name", server.name());

            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.stdout()).as("%s", run).contains("http=127.0.0.1:" + port);
        }
    }
}
