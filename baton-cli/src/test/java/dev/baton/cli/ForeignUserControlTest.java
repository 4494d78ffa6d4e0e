package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ServiceStatus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control socket owned by another user: the CLI run as uid 65534 (with {@code setpriv}, the test running
 * as root) against a demo server of root's is refused, by the server's peer-credential check when the
 * kernel lets it connect, by the kernel when the control directory is closed; and the server serves on.
 */
@Timeout(120)
class ForeignUserControlTest {

    private static final int OTHER_UID = 65534;
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    /** A copy of the test class path that uid 65534 can read (the originals may sit in root's home). */
    @TempDir
    static Path classPathCopy;

    private static String foreignClassPath;

    @TempDir
    Path directory;

    @BeforeAll
    static void copyTheClassPathForTheOtherUser() throws IOException {
        int uid = (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid"); // /proc/self is owned by our uid
        Assumptions.assumeTrue(uid == 0, "runs as root, to run the CLI as another user");
        Assumptions.assumeTrue(Files.isExecutable(SETPRIV), SETPRIV + " is not installed");
        setMode(classPathCopy, "rwxr-xr-x");
        List<String> entries = new ArrayList<>();
        int index = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (entry.isEmpty() || !Files.exists(source)) {
                continue;
            }
            Path target = classPathCopy.resolve(index++ + "-" + source.getFileName());
            copyReadableByAll(source, target);
            entries.add(target.toString());
        }
        foreignClassPath = String.join(File.pathSeparator, entries);
    }

    @Test
    void cliAsAnotherUser_socketReachable_reloadStatusAndStopAreRefusedByTheServer_serverServesOn() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "greeting=mine\n")) {
            long pid = server.servingPid();
            openTheControlSocketToOthers(server);

            for (String command : List.of("reload", "status", "stop")) {
                CliRun run = asOtherUser(server, command, "--socket", server.controlSocket().toString());

                assertThat(run.exitCode()).as("%s as uid %d: %s", command, OTHER_UID, run).isOne();
                assertThat(run.stderr()).as("%s as uid %d: %s", command, OTHER_UID, run).startsWith("baton " + command
                        + ": ");
            }

            assertThat(server.logText().lines().filter(line -> line.contains("refused a control connection from pid")
                    && line.contains(" uid " + OTHER_UID + ": only uid 0 or root may control this service")))
                    .as("the server refused each of the 3 connections%s", server.logTail()).hasSize(3);
            assertServesAsBefore(server, pid);
        }
    }

    @Test
    void cliAsAnotherUser_socketReachable_errorSaysPermissionDeniedNamingTheUid() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long pid = server.servingPid();
            openTheControlSocketToOthers(server);

            for (String command : List.of("reload", "status", "stop")) {
                CliRun run = asOtherUser(server, command, "--socket", server.controlSocket().toString());

                assertThat(run.exitCode()).as("%s as uid %d: %s", command, OTHER_UID, run).isOne();
                assertThat(run.stderr()).as("%s as uid %d: %s", command, OTHER_UID, run).contains(
                        "baton " + command + ": ", "refused: permission denied: uid " + OTHER_UID
                        + " may not control this service, which belongs to uid 0");
            }
            assertServesAsBefore(server, pid);
        }
    }

    @Test
    void cliAsAnotherUser_controlDirectoryClosed_kernelRefusesAndTheCliSaysPermissionDenied() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long pid = server.servingPid();
            setMode(directory, "rwx--x--x"); // the control directory itself stays 0700, as the server made it

            CliRun run = asOtherUser(server, "reload", "--socket", server.controlSocket().toString());

            assertThat(run.exitCode()).as("%s", run).isNotZero();
            assertThat(run.stderr()).as("%s", run)
                    .contains("baton reload: ", "permission denied on the control socket " + server.controlSocket());
            assertThat(server.logText()).as("the kernel refused before the server saw a connection")
                    .doesNotContain("refused a control connection");
            assertServesAsBefore(server, pid);
        }
    }

    /** Lets the kernel pass uid 65534 through to the socket: the server's own uid check is what refuses. */
    private void openTheControlSocketToOthers(DemoServerProcess server) throws IOException {
        setMode(directory, "rwx--x--x");
        setMode(server.controlDirectory(), "rwx--x--x");
        setMode(server.controlSocket(), "rw-rw-rw-");
    }

    /** Generation 1, {@code pid}, still serves alone: nothing was reloaded or stopped. */
    private static void assertServesAsBefore(DemoServerProcess server, long pid) throws IOException {
        RawHttp.Answer answer = RawHttp.get(server.port(), "/");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("pid=" + pid, "generation=1");
        ServiceStatus status = server.status();
        assertThat(status.state()).hasToString("serving");
        assertThat(status.processes()).as("no other generation was started").singleElement()
                .satisfies(p -> assertThat(p.pid()).isEqualTo(pid));
    }

    /** Runs {@code baton arguments} as uid and gid 65534, with no supplementary groups. */
    private CliRun asOtherUser(DemoServerProcess server, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + OTHER_UID,
                "--regid=" + OTHER_UID, "--clear-groups"));
        List<String> java = CliRun.java(true, arguments);
        int classPath = java.indexOf("-cp") + 1;
        java.set(classPath, foreignClassPath);
        java.add(1, "-XX:-UsePerfData"); // no hsperfdata file for that user
        command.addAll(java);
        return CliRun.run(directory, server.controlDirectory(), command);
    }

    private static void copyReadableByAll(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target);
            setMode(target, "rw-r--r--");
            return;
        }
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                    setMode(copy, "rwxr-xr-x");
                } else {
                    Files.copy(path, copy);
                    setMode(copy, "rw-r--r--");
                }
            }
        }
    }

    private static void setMode(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }
}
