package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI as a black box, in this JVM: arguments in, output and exit code out. */
class BatonCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... arguments) {
        CommandLine commandLine = BatonCli.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(arguments);
    }

    @Test
    void help_exitsZeroAndListsEveryCommand() {
        int exit = execute("--help");

        assertThat(exit).as("exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("Usage: baton").contains("reload", "status", "stop", "run")
                .contains("./baton also runs the demo's commands").contains("demo, demo-server, bench");
    }

    @Test
    void noArguments_printsUsageAndExitsZero() {
        int exit = execute();

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Usage: baton", "reload");
    }

    @Test
    void unknownOption_exitsTwoAndNamesIt() {
        int exit = execute("--no-such-option");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void unknownSubcommandOption_exitsTwoAndNamesIt() {
        int exit = execute("reload", "--frobnicate");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--frobnicate");
    }

    @Test
    void helpSubcommand_exitsZeroAndDescribesTheCommandsOptions() {
        int exit = execute("help", "reload");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("--name", "--socket", "--wait");
    }

    @Test
    void subcommandHelpOption_exitsZeroAndDescribesItsOptions() {
        int exit = execute("reload", "--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("--name", "--socket", "--wait");
    }

    @Test
    void version_exitsZeroAndNamesBaton() {
        int exit = execute("--version");

        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("baton ");
    }
}
