package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets a clear error and a non-zero exit: each case runs the CLI as a real process, as a user
 * would, and reads what it printed on standard error.
 */
class BadInputTest {

    @TempDir
    Path directory;

    private Path controlDirectory;

    @BeforeEach
    void createControlDirectory() throws IOException {
        controlDirectory = DemoServerProcess.controlDirectory(directory);
    }

    private CliRun demoServer(String... arguments) throws IOException, InterruptedException {
        String[] all = new String[arguments.length + 3];
        all[0] = "demo-server";
        all[1] = "--name";
        all[2] = "bad-input-" + ProcessHandle.current().pid();
        System.arraycopy(arguments, 0, all, 3, arguments.length);
        return CliRun.baton(directory, controlDirectory, all);
    }

    @Test
    void demoServer_portInUse_exitsNonZeroSayingInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

            CliRun run = demoServer("--port", Integer.toString(taken.getLocalPort()));

            assertThat(run.exitCode()).as("%s", run).isNotZero();
            assertThat(run.stderr()).as("%s", run).contains("in use").contains(":" + taken.getLocalPort());
        }
        assertThat(controlDirectory).as("a failed start leaves no control socket behind").isEmptyDirectory();
    }

    @Test
    void demoServer_invalidHost_exitsNonZeroNamingTheAddress() throws Exception {
        CliRun run = demoServer("--port", Integer.toString(DemoServerProcess.freePort()), "--host", "999.1.1.1");

        assertThat(run.exitCode()).as("%s", run).isNotZero();
        assertThat(run.stderr()).as("%s", run).contains("999.1.1.1");
    }

    @Test
    void demoServer_pidfileInMissingDirectory_exitsNonZeroSayingItDoesNotExist() throws Exception {
        Path pidFile = directory.resolve("missing").resolve("demo.pid");

        CliRun run = demoServer("--port", Integer.toString(DemoServerProcess.freePort()), "--pidfile",
                pidFile.toString());

        assertThat(run.exitCode()).as("%s", run).isNotZero();
        assertThat(run.stderr()).as("%s", run).contains("does not exist").contains(pidFile.getParent().toString());
    }

    @Test
    void demoServer_jvmWithoutBatonFlags_exitsNonZeroNamingTheMissingFlags() throws Exception {
        CliRun run = CliRun.run(directory, controlDirectory, CliRun.java(false, "demo-server", "--port",
                Integer.toString(DemoServerProcess.freePort()), "--name", "no-flags-" + ProcessHandle.current().pid()));

        assertThat(run.exitCode()).as("%s", run).isNotZero();
        assertThat(run.stderr()).as("%s", run)
                .contains("--add-opens=java.base/sun.nio.ch")
                .contains("--enable-native-access=ALL-UNNAMED");
    }

    @Test
    void run_namedModulesWithoutBatonFlags_exitsOneNamingTheFlagsForModuleDevBaton() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", CliRun.modulePath(), "--module", "dev.baton.cli/" + CliRun.MAIN,
                "run", "--name", "no-flags-" + ProcessHandle.current().pid(), "--listen", "http=127.0.0.1:0",
                "--", "true");

        CliRun run = CliRun.run(directory, controlDirectory, command);

        assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
        assertThat(run.stderr()).as("%s", run)
                .contains("--enable-native-access=dev.baton")
                .contains("--add-opens=java.base/sun.nio.ch=dev.baton")
                .doesNotContain("ALL-UNNAMED");
    }

    @Test
    void run_maxDrainingZero_exitsTwoSayingAtLeastOne() throws Exception {
        CliRun run = CliRun.baton(directory, controlDirectory, "run", "--max-draining", "0", "--listen",
                "http=127.0.0.1:0", "--", "true");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).as("%s", run).contains("--max-draining must be at least 1", "not 0");
    }

    @Test
    void demoServer_shutdownDelayWithoutAUnit_exitsTwoShowingTheForm() throws Exception {
        CliRun run = demoServer("--port", Integer.toString(DemoServerProcess.freePort()), "--shutdown-delay", "5");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).as("%s", run).contains("invalid duration '5' (a bare number has no unit)",
                "500ms, 30s, 2m or 1h");
    }

    @Test
    void run_negativeShutdownDelay_exitsTwoShowingTheForm() throws Exception {
        CliRun run = CliRun.baton(directory, controlDirectory, "run", "--shutdown-delay=-2s", "--listen",
                "http=127.0.0.1:0", "--", "true");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).as("%s", run).contains("invalid duration '-2s'", "500ms, 30s, 2m or 1h");
    }

    @Test
    void demoServer_negativeShutdownDelay_exitsTwoShowingTheForm() throws Exception {
        CliRun run = demoServer("--port", Integer.toString(DemoServerProcess.freePort()), "--shutdown-delay=-2s");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).as("%s", run).contains("invalid duration '-2s'", "500ms, 30s, 2m or 1h");
    }

    @Test
    void run_shutdownDelayWithoutAUnit_exitsTwoShowingTheForm() throws Exception {
        CliRun run = CliRun.baton(directory, controlDirectory, "run", "--shutdown-delay", "5", "--listen",
                "http=127.0.0.1:0", "--", "true");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).as("%s", run).contains("invalid duration '5' (a bare number has no unit)",
                "500ms, 30s, 2m or 1h");
    }

    @Test
    void demoServer_shutdownDelayLongerThanTheStopTimeout_warnedWithTheNumbers() throws Exception {
        try (ServerSocket taken = new ServerSocket()) { // the start fails after the warning: nothing to stop
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

            CliRun run = demoServer("--port", Integer.toString(taken.getLocalPort()), "--shutdown-delay", "15s",
                    "--drain-timeout", "5s");

            assertThat(run.stderr()).as("%s", run).contains("shutdownDelay 15s is longer than stopTimeout 10s",
                    "TimeoutStopSec", "terminationGracePeriodSeconds", "more than shutdownDelay + drainTimeout (20s)");
        }
    }

    @Test
    void run_shutdownDelayLongerThanTheSupervisorsStopTimeout_warnedWithTheNumbers() throws Exception {
        CliRun run = CliRun.baton(directory, controlDirectory, "run", "--shutdown-delay", "15s", "--drain-timeout",
                "5s", "--listen", "http=127.0.0.1:0", "--", "true"); // the worker exits: the supervisor stops

        assertThat(run.stderr()).as("%s", run).contains("shutdownDelay 15s is longer than the supervisor's stop "
                + "timeout 10s", "TimeoutStopSec", "more than shutdownDelay + drainTimeout (20s)");
    }

    @Test
    void demoServer_invalidConfigAtFirstStart_exitsTwoNamingTheKey() throws Exception {
        Path config = directory.resolve("demo.properties");
        Files.writeString(config, "warmup.ms=abc\n", StandardCharsets.UTF_8);

        CliRun run = demoServer("--port", Integer.toString(DemoServerProcess.freePort()), "--config",
                config.toString());

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).as("%s", run).contains("warmup.ms").contains("abc").contains(config.toString());
    }

    @Test
    void demoServer_unknownConfigKeyAtFirstStart_exitsTwoNamingTheKey() throws Exception {
        Path config = directory.resolve("demo.properties");
        Files.writeString(config, "greting=x\n", StandardCharsets.UTF_8);

        CliRun run = demoServer("--port", Integer.toString(DemoServerProcess.freePort()), "--config",
                config.toString());

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).as("%s", run).contains("greting");
    }

    @Test
    void reload_noSuchService_exitsNonZeroSayingThereIsNoControlSocket() throws Exception {
        CliRun run = CliRun.baton(directory, controlDirectory, "reload", "--name", "nothing-here");

        assertThat(run.exitCode()).as("%s", run).isNotZero();
        assertThat(run.stderr()).as("%s", run).contains("no control socket").contains("nothing-here");
    }

    @Test
    void status_noSuchService_exitsNonZeroSayingThereIsNoControlSocket() throws Exception {
        CliRun run = CliRun.baton(directory, controlDirectory, "status", "--name", "nothing-here");

        assertThat(run.exitCode()).as("%s", run).isNotZero();
        assertThat(run.stderr()).as("%s", run).contains("no control socket");
    }

    @Test
    void stop_invalidServiceName_exitsNonZeroNamingIt() throws Exception {
        CliRun run = CliRun.baton(directory, controlDirectory, "stop", "--name", "../escape");

        assertThat(run.exitCode()).as("%s", run).isNotZero();
        assertThat(run.stderr()).as("%s", run).contains("../escape");
    }
}
