package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The demo's commands as a black box, in this JVM: arguments in, output and exit code out. */
class DemoCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... arguments) {
        CommandLine commandLine = DemoCli.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(arguments);
    }

    @Test
    void help_exitsZeroAndListsTheDemoCommands() {
        int exit = execute("--help");

        assertThat(exit).as("exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("Usage: baton").contains("demo ", "demo-server", "bench");
    }

    @Test
    void demoServerWithoutPort_exitsTwoAndNamesTheMissingOption() {
        int exit = execute("demo-server");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--port");
    }

    @Test
    void demoServer_drainTimeoutAsABareNumber_exitsTwoShowingTheForm() {
        int exit = execute("demo-server", "--port", "0", "--drain-timeout", "30");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--drain-timeout", "invalid duration '30'", "500ms, 30s, 2m");
    }

    @Test
    void demo_durationAsABareNumber_exitsTwoShowingTheForm() {
        int exit = execute("demo", "--duration", "20");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--duration", "invalid duration '20'", "30s");
    }

    @Test
    void demo_durationZero_isRefusedInTheFormItWasWritten() {
        int exit = execute("demo", "--duration", "0s");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("duration must be 1s to 1h, not 0s").doesNotContain("PT0S");
    }

    @Test
    void bench_helpShowsDurationsWithAUnit() {
        int exit = execute("bench", "--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("--duration=DURATION", "default: 20s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo-server", "demo", "bench"})
    void unknownServer_exitsTwoListingTheServers(String command) {
        int exit = execute(command, "--port", "0", "--server", "nope");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--server", "unknown server 'nope'",
                "jetty, netty, grpc, spring-tomcat, spring-jetty, spring-webflux");
    }
}
