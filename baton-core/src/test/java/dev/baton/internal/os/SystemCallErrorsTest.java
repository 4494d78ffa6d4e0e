package dev.baton.internal.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The errno a caller acts on arrives as its own exception type, from real calls on real sockets. */
@Timeout(5)
class SystemCallErrorsTest {

    @TempDir
    Path directory;

    @Test
    void connect_noSocketFileAtThePath_throwsNoSuchFileNamingTheCallAndErrno() throws SystemCallException {
        int fd = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        try {
            Path missing = directory.resolve("missing.sock");
            assertThatThrownBy(() -> Sockets.connect(fd, missing))
                    .isInstanceOf(SystemCallException.NoSuchFile.class)
                    .hasMessage("connect(" + missing + ") failed: ENOENT (No such file or directory)");
        } finally {
            Descriptors.closeQuietly(fd);
        }
    }

    @Test
    void connect_socketFileNobodyListensOn_throwsConnectionRefused() throws SystemCallException {
        Path stale = directory.resolve("stale.sock");
        int bound = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        Sockets.bind(bound, stale);
        Descriptors.closeQuietly(bound); // the file stays, nothing listens: a crashed service's socket
        int fd = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        try {
            assertThatThrownBy(() -> Sockets.connect(fd, stale)).isInstanceOf(SystemCallException.ConnectionRefused.class);
        } finally {
            Descriptors.closeQuietly(fd);
        }
    }

    @Test
    void accept_nonBlockingListenerWithNoConnectionWaiting_isEmptyNotAnError() throws SystemCallException {
        int listener = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        try {
            Sockets.bind(listener, directory.resolve("quiet.sock"));
            Sockets.listen(listener, 4);
            Descriptors.setNonBlocking(listener);

            assertThat(Sockets.accept(listener)).isEmpty();
        } finally {
            Descriptors.closeQuietly(listener);
        }
    }

    @Test
    void accept_connectionWaiting_returnsItsDescriptor() throws SystemCallException {
        Path path = directory.resolve("busy.sock");
        int listener = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        int client = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        try {
            Sockets.bind(listener, path);
            Sockets.listen(listener, 4);
            Sockets.connect(client, path);

            int accepted = Sockets.accept(listener).orElseThrow();
            assertThat(Sockets.peerCredentials(accepted).pid()).isEqualTo(ProcessHandle.current().pid());
            Descriptors.closeQuietly(accepted);
        } finally {
            Descriptors.closeQuietly(client);
            Descriptors.closeQuietly(listener);
        }
    }

    @Test
    void of_errnoNobodyActsOn_isAPlainSystemCallException() {
        SystemCallException e = SystemCallException.of("ioctl(fd 3)", Errno.EINVAL);

        assertThat(e.getClass()).isEqualTo(SystemCallException.class);
        assertThat(e).hasMessage("ioctl(fd 3) failed: EINVAL (Invalid argument)");
        assertThat(SystemCallException.of("accept4(fd 3)", Errno.EMFILE))
                .isInstanceOf(SystemCallException.TooManyOpenFiles.class);
        assertThat(SystemCallException.of("sendmsg(fd 3)", Errno.EPIPE)).isInstanceOf(SystemCallException.PeerGone.class);
    }
}
