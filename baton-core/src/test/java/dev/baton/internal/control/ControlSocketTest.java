package dev.baton.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Processes;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.protocol.Message;
import dev.baton.testing.OpenDescriptors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The control directory's safety checks and binding the control socket, on the real file system. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ControlSocketTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path temp;

    private final List<Integer> fds = new ArrayList<>();

    @AfterEach
    void closeDescriptors() {
        fds.forEach(Descriptors::closeQuietly);
    }

    @Test
    void directory_explicitSetting_winsOverRuntimeDirectory() {
        assertThat(ControlSocket.directory(Map.of("BATON_CONTROL_DIR", "/srv/ctl", "XDG_RUNTIME_DIR", "/run/user/0")))
                .isEqualTo(Path.of("/srv/ctl"));
        assertThat(ControlSocket.directory(Map.of("BATON_CONTROL_DIR", " ", "XDG_RUNTIME_DIR", "/run/user/0")))
                .isEqualTo(Path.of("/run/user/0/baton"));
        assertThat(ControlSocket.directory(Map.of("XDG_RUNTIME_DIR", "")))
                .isEqualTo(Path.of("/tmp/baton-" + Processes.userId()));
    }

    @Test
    void path_validName_isNameDotSockInTheDirectory() {
        assertThat(ControlSocket.path(Path.of("/run/baton"), "shop-api.v2")).isEqualTo(Path.of("/run/baton/shop-api.v2.sock"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "", "a b", " x", "x/y", ".hidden", "-x", "x\n", "ü",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void checkName_unsafeName_refusedNamingItAndTheRule(String name) {
        assertThatThrownBy(() -> ControlSocket.checkName(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid service name '" + name
                        + "': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "baton", "shop_api-2.v1", "0",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void checkName_safeName_accepted(String name) {
        ControlSocket.checkName(name);
    }

    @Test
    void prepareDirectory_missing_createsItWithMode0700() throws IOException {
        Path directory = temp.resolve("a/b/baton");

        ControlSocket.prepareDirectory(directory);

        assertThat(Files.getPosixFilePermissions(directory)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void prepareDirectory_existingPrivateDirectory_accepted() throws IOException {
        Path directory = Files.createDirectory(temp.resolve("ctl"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

        ControlSocket.prepareDirectory(directory);
        ControlSocket.prepareDirectory(directory);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rwxr-x---", "rwx---r-x", "rwx-----x", "rwxrwxrwx"})
    void prepareDirectory_othersMayEnter_refusedSayingHowToFixIt(String permissions) throws IOException {
        Path directory = Files.createDirectory(temp.resolve("ctl"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(permissions));
        String mode = Integer.toOctalString(
                (Integer) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0777);

        assertThatThrownBy(() -> ControlSocket.prepareDirectory(directory))
                .isInstanceOf(IOException.class)
                .hasMessage("the control directory " + directory + " has mode " + mode
                        + "; others may enter it. Run 'chmod 700 " + directory + "' or set BATON_CONTROL_DIR");
    }

    @Test
    void prepareDirectory_ownedByAnotherUser_refusedSayingHowToFixIt() throws IOException {
        Assumptions.assumeTrue(Processes.userId() == 0, "only root can give a directory away");
        Path directory = Files.createDirectory(temp.resolve("ctl"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(directory, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);

        assertThatThrownBy(() -> ControlSocket.prepareDirectory(directory))
                .isInstanceOf(IOException.class)
                .hasMessage("the control directory " + directory + " belongs to uid 65534, not to uid 0; "
                        + "remove it or set BATON_CONTROL_DIR to a directory you own");
    }

    @Test
    void prepareDirectory_regularFileOrSymbolicLink_refused() throws IOException {
        Path file = Files.createFile(temp.resolve("file"));
        Path target = Files.createDirectory(temp.resolve("target"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(temp.resolve("link"), target);

        assertThatThrownBy(() -> ControlSocket.prepareDirectory(file))
                .hasMessage("the control directory " + file + " is not a directory");
        assertThatThrownBy(() -> ControlSocket.prepareDirectory(link))
                .hasMessage("the control directory " + link + " is not a directory");
    }

    @Test
    void prepareDirectory_parentNotCreatable_refusedSuggestingBatonControlDir() throws IOException {
        Path file = Files.createFile(temp.resolve("file"));

        assertThatThrownBy(() -> ControlSocket.prepareDirectory(file.resolve("baton")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot create the control directory " + file.resolve("baton"))
                .hasMessageEndingWith("; set BATON_CONTROL_DIR to a directory you own");
    }

    @Test
    void bind_freshPath_listensNonBlockingCloseOnExecWithMode0600() throws IOException {
        Path path = temp.resolve("svc.sock");

        int fd = track(ControlSocket.bind(path, "svc"));

        assertThat(Sockets.isListening(fd)).isTrue();
        assertThat(Sockets.type(fd)).isEqualTo(Sockets.SOCK_SEQPACKET);
        assertThat(Descriptors.isCloseOnExec(fd)).isTrue();
        assertThat(OpenDescriptors.fileStatusFlags(fd) & 04000).as("O_NONBLOCK").isNotZero();
        assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(client.peer().pid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void bind_staleSocketFileOfACrashedRun_replacesIt() throws IOException {
        Path path = temp.resolve("svc.sock");
        int crashed = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        Sockets.bind(crashed, path);
        Sockets.listen(crashed, 1);
        Descriptors.close(crashed); // the socket file stays behind, as after a crash

        int fd = track(ControlSocket.bind(path, "svc"));

        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            client.send(new Message.StatusRequest());
        }
        assertThat(Sockets.isListening(fd)).isTrue();
    }

    @Test
    void bind_liveServiceHoldsThePath_refusedNamingTheServiceAndHowToStopIt() throws IOException {
        Path path = temp.resolve("svc.sock");
        int live = track(ControlSocket.bind(path, "svc"));

        assertThatThrownBy(() -> ControlSocket.bind(path, "svc"))
                .isInstanceOf(IOException.class)
                .hasMessage("another Baton service named 'svc' is running (its control socket is " + path
                        + "); stop it with 'baton stop --name svc' or choose another name");

        assertThat(UnixSocketFilesProbe.isSocket(path)).as("the live socket file is left in place").isTrue();
        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(client.peer().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(Descriptors.awaitReadable(new int[] {live}, TIMEOUT)).as("the live socket accepts").isZero();
        }
    }

    @Test
    void bind_pathIsARegularFile_refusedAndLeavesTheFile() throws IOException {
        Path path = Files.writeString(temp.resolve("svc.sock"), "precious");

        assertThatThrownBy(() -> ControlSocket.bind(path, "svc"))
                .isInstanceOf(IOException.class)
                .hasMessage(path + " exists and is not a socket; remove it or choose another service name");
        assertThat(path).hasContent("precious");
    }

    @Test
    void bind_missingDirectory_refusedNamingThePath() {
        Path path = temp.resolve("missing/svc.sock");

        assertThatThrownBy(() -> ControlSocket.bind(path, "svc"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot create the control socket " + path + ": bind(" + path + ") failed: ENOENT");
    }

    @Test
    void bind_failure_leaksNoDescriptor() {
        Path path = temp.resolve("missing/svc.sock");
        Map<Integer, String> before = OpenDescriptors.snapshot();

        assertThatThrownBy(() -> ControlSocket.bind(path, "svc")).isInstanceOf(IOException.class);

        assertThat(OpenDescriptors.openedSince(before)).isEmpty();
    }

    @Test
    void bind_pathLongerThanSunPath_refusedWithoutLeakingTheSocket() throws IOException {
        Path directory = Files.createDirectories(temp.resolve("d".repeat(100)));
        Path path = directory.resolve("svc.sock");
        Map<Integer, String> before = OpenDescriptors.snapshot();

        assertThatThrownBy(() -> ControlSocket.bind(path, "svc"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot create the control socket " + path);

        assertThat(OpenDescriptors.openedSince(before)).isEmpty();
    }

    @Test
    void connect_noSocketFile_refusedAskingWhetherTheServiceRuns() {
        Path path = temp.resolve("svc.sock");

        assertThatThrownBy(() -> ControlChannel.connect(path, TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessage("no control socket at " + path + ": is the service running under this name?");
    }

    @Test
    void connect_staleSocketFile_refusedSayingTheServiceIsGone() throws IOException {
        Path path = temp.resolve("svc.sock");
        Descriptors.close(ControlSocket.bind(path, "svc"));
        Map<Integer, String> before = OpenDescriptors.snapshot();

        assertThatThrownBy(() -> ControlChannel.connect(path, TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessage("nothing is listening on the control socket " + path + ": the service that made it is gone");
        assertThat(OpenDescriptors.openedSince(before)).isEmpty();
    }

    @Test
    void connect_pathLongerThanSunPath_refusedWithoutLeakingTheSocket() {
        Path path = temp.resolve("d".repeat(100)).resolve("svc.sock");
        Map<Integer, String> before = OpenDescriptors.snapshot();

        assertThatThrownBy(() -> ControlChannel.connect(path, TIMEOUT)).hasMessageContaining(path.toString());

        assertThat(OpenDescriptors.openedSince(before)).isEmpty();
    }

    private int track(int fd) {
        fds.add(fd);
        return fd;
    }

    /** Whether a path is a socket file, read independently of the code under test. */
    private static final class UnixSocketFilesProbe {
        static boolean isSocket(Path path) throws IOException {
            return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000) == 0140000;
        }
    }
}
