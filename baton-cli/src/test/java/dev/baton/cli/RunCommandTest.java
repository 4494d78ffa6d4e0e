package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code baton run} and {@code baton reload} as a black box: bad input in, a clear error and exit code out. */
class RunCommandTest {

    @TempDir
    Path directory;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = BatonCli.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void run_unknownListenForm_isAUsageErrorNamingTheFormsAccepted() {
        int status = execute("run", "--listen", "http=localhost", "--", "sleep", "1");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("invalid listen address 'localhost'", "forms: :8080, 0.0.0.0:8080");
    }

    @Test
    void run_listenWithoutName_isAUsageError() {
        int status = execute("run", "--listen", ":8080", "--", "sleep", "1");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("':8080' is not NAME=ADDRESS");
    }

    @Test
    void run_unknownReadiness_isAUsageError() {
        int status = execute("run", "--listen", "http=:0", "--ready", "http", "--", "sleep", "1");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("invalid readiness 'http'", "notify, tcp:PORT");
    }

    @Test
    void run_tcpReadinessWithoutAPortNumber_isAUsageErrorShowingTheForm() {
        int status = execute("run", "--listen", "http=:0", "--ready", "tcp:notanumber", "--", "sleep", "1");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("port 'notanumber' is not a number", "tcp:8080")
                .doesNotContain("For input string");
    }

    @Test
    void run_drainTimeoutAsABareNumber_isAUsageErrorShowingTheForm() {
        int status = execute("run", "--listen", "http=:0", "--drain-timeout", "30", "--", "sleep", "1");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--drain-timeout", "invalid duration '30'", "500ms, 30s, 2m or 1h");
    }

    @Test
    void reload_waitAsABareNumber_isAUsageErrorShowingTheForm() {
        int status = execute("reload", "--wait", "90");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--wait", "invalid duration '90'");
    }

    @Test
    void run_withoutCommand_isAUsageError() {
        int status = execute("run", "--listen", "http=:0");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("COMMAND");
    }

    @Test
    void reload_noSupervisorRunning_exits1SayingNoControlSocket() {
        Path socket = directory.resolve("nobody.sock");

        int status = execute("reload", "--socket", socket.toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("no control socket at " + socket);
    }
}
