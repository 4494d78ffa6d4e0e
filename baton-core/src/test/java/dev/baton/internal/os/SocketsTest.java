package dev.baton.internal.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Socket timeouts and facts, on a real socket pair. */
@Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketsTest {

    private int[] pair;

    @BeforeEach
    void openPair() throws SystemCallException {
        pair = Sockets.newUnixSocketPair(Sockets.SOCK_SEQPACKET);
    }

    @AfterEach
    void closePair() {
        // Closing the peer first wakes a receive that is still blocked (it then sees end of stream).
        Descriptors.closeQuietly(pair[1]);
        Descriptors.closeQuietly(pair[0]);
    }

    @Test
    void setTimeouts_receiveWithNothingToRead_failsWithEagainOnceTheTimeoutPasses() throws SystemCallException {
        Sockets.setTimeouts(pair[0], Duration.ofMillis(100));

        assertThatThrownBy(() -> DescriptorPassing.receive(pair[0], 64, 1))
                .isInstanceOfSatisfying(SystemCallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EAGAIN));
    }

    @Test
    void setTimeouts_subMillisecondTimeout_stillBoundsTheReceive() throws SystemCallException {
        Sockets.setTimeouts(pair[0], Duration.ofNanos(500_000));

        assertThatThrownBy(() -> DescriptorPassing.receive(pair[0], 64, 1))
                .isInstanceOfSatisfying(SystemCallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EAGAIN));
    }

    @Test
    void socketFacts_seqpacketPair_reportFamilyTypeAndNotListening() throws SystemCallException {
        assertThat(Sockets.family(pair[0])).isEqualTo(Sockets.AF_UNIX);
        assertThat(Sockets.type(pair[0])).isEqualTo(Sockets.SOCK_SEQPACKET);
        assertThat(Sockets.isListening(pair[0])).isFalse();
        assertThat(Sockets.unixPath(pair[0])).isEmpty();
        assertThat(Descriptors.isCloseOnExec(pair[0])).isTrue();
        assertThat(Sockets.peerCredentials(pair[0]))
                .isEqualTo(new PeerCredentials(ProcessHandle.current().pid(), Processes.userId(),
                        Sockets.peerCredentials(pair[1]).gid()));
    }

    @Test
    void call_onClosedDescriptor_throwsNamingTheCallAndTheErrno() throws SystemCallException {
        int fd = Descriptors.duplicate(pair[0], 10);
        Descriptors.close(fd);

        assertThatThrownBy(() -> Sockets.type(fd))
                .isInstanceOfSatisfying(SystemCallException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EBADF);
                    assertThat(e.call()).isEqualTo("getsockopt(fd " + fd + ", SO_TYPE)");
                })
                .hasMessage("getsockopt(fd " + fd + ", SO_TYPE) failed: EBADF (Bad file descriptor)");
    }
}
