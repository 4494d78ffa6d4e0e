package dev.baton.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.internal.listen.ChannelAdopter;
import dev.baton.internal.os.Descriptor;
import dev.baton.internal.os.DescriptorPassing;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.Message.Handover;
import dev.baton.internal.protocol.Message.StatusRequest;
import dev.baton.internal.protocol.MessageCodec;
import dev.baton.internal.protocol.ProtocolException;
import dev.baton.internal.protocol.SampleMessages;
import dev.baton.testing.OpenDescriptors;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ControlChannel} over a real SOCK_SEQPACKET socket pair, with real descriptors attached. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ControlChannelTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ControlChannel sender;
    private ControlChannel receiver;
    private int senderFd;

    @BeforeEach
    void connectPair() throws IOException {
        int[] pair = Sockets.newUnixSocketPair(Sockets.SOCK_SEQPACKET);
        senderFd = pair[0];
        sender = ControlChannel.of(Descriptor.own(pair[0], "the sender"), TIMEOUT);
        receiver = ControlChannel.of(Descriptor.own(pair[1], "the receiver"), TIMEOUT);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
        sender.close();
        receiver.close();
    }

    static Stream<Message> everyMessage() {
        return SampleMessages.all().stream().filter(m -> m.descriptorCount() == 0);
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void receive_messageWithoutDescriptors_arrivesEqualAndAlone(Message message) throws IOException {
        sender.send(message);

        Envelope envelope = receiver.receive(TIMEOUT);

        assertThat(envelope.message()).isEqualTo(message);
        assertThat(envelope.fds()).isEmpty();
    }

    @Test
    void receive_handoverWithListeners_deliversNewDescriptorsThatAcceptOnTheSamePorts() throws Exception {
        ServerSocketChannel first = track(bindLoopback());
        ServerSocketChannel second = track(bindLoopback());
        int[] controlPair = Sockets.newUnixSocketPair(Sockets.SOCK_SEQPACKET);
        toClose.add(() -> OpenDescriptors.closeAll(controlPair));
        Handover handover = SampleMessages.handover(2);
        int[] sent = {ChannelAdopter.descriptorOf(first), ChannelAdopter.descriptorOf(second), controlPair[0], 1, 2};

        sender.send(handover, sent);
        Envelope envelope = receiver.receive(TIMEOUT);

        assertThat(envelope.message()).isEqualTo(handover);
        int[] received = envelope.fds().stream().mapToInt(Descriptor::number).toArray();
        assertThat(received).hasSize(5).doesNotContain(sent).doesNotHaveDuplicates();
        for (int fd : received) {
            assertThat(Descriptors.isCloseOnExec(fd)).as("fd %d is close-on-exec", fd).isTrue();
        }
        Descriptor.closeAll(envelope.fds().subList(2, 5));
        try (ServerSocketChannel adoptedFirst = ChannelAdopter.adopt(envelope.fds().get(0).release(), false);
                ServerSocketChannel adoptedSecond = ChannelAdopter.adopt(envelope.fds().get(1).release(), false)) {
            assertAcceptsThrough(adoptedFirst, first);
            assertAcceptsThrough(adoptedSecond, second);
        }
        assertThat(Descriptors.isOpen(received[0])).isFalse();
        assertAcceptsThrough(first, first); // closing the adopted copy left the socket to the other holder
    }

    @Test
    void receiveMessage_handoverWhereNoDescriptorsWereExpected_refusedAndItsDescriptorsClosed() throws IOException {
        Handover handover = SampleMessages.handover(1);
        int[] sent = duplicates(1, 4);
        sender.send(handover, sent);
        OpenDescriptors.closeAll(sent);
        Map<Integer, String> before = OpenDescriptors.snapshot();

        assertThatThrownBy(() -> receiver.receiveMessage(TIMEOUT))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("Handover message came with descriptors where none were expected");

        assertThat(OpenDescriptors.openedSince(before)).as("descriptors left open").isEmpty();
    }

    @Test
    void receive_handoverOfMaxDescriptors_deliversThemAll() throws IOException {
        Handover handover = SampleMessages.handover(MessageCodec.MAX_DESCRIPTORS - 3);
        int[] sent = duplicates(1, MessageCodec.MAX_DESCRIPTORS);

        sender.send(handover, sent);
        OpenDescriptors.closeAll(sent);
        Envelope envelope = receiver.receive(TIMEOUT);

        assertThat(envelope.message()).isEqualTo(handover);
        assertThat(envelope.fds()).hasSize(MessageCodec.MAX_DESCRIPTORS);
        envelope.closeDescriptors();
    }

    @Test
    void send_wrongNumberOfDescriptors_refusedBeforeSending() throws IOException {
        assertThatThrownBy(() -> sender.send(SampleMessages.handover(1), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Handover carries 4 descriptors, not 1");
        assertThatThrownBy(() -> sender.send(new StatusRequest(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("StatusRequest carries 0 descriptors, not 1");
        assertThatThrownBy(() -> receiver.receive(Duration.ofMillis(50))).isInstanceOf(SocketTimeoutException.class);
    }

    static Stream<Arguments> badPackets() {
        byte[] handover = MessageCodec.encode(SampleMessages.handover(1));
        byte[] badMagic = handover.clone();
        badMagic[0] = 'X';
        byte[] otherVersion = handover.clone();
        otherVersion[3] = (byte) (MessageCodec.VERSION + 1);
        byte[] unknownType = handover.clone();
        unknownType[5] = 99;
        byte[] trailing = Arrays.copyOf(handover, handover.length + 2);
        byte[] oversized = Arrays.copyOf(handover, MessageCodec.MAX_MESSAGE_BYTES + 1);
        byte[] statusRequest = MessageCodec.encode(new StatusRequest());
        return Stream.of(
                Arguments.of("bad magic", badMagic, 4, "not a Baton control message"),
                Arguments.of("other version", otherVersion, 4, "unsupported protocol version " + (MessageCodec.VERSION + 1)),
                Arguments.of("unknown type", unknownType, 4, "unknown control message type 99"),
                Arguments.of("trailing bytes", trailing, 4, "2 unexpected bytes after a Handover message"),
                Arguments.of("oversized", oversized, 4, "control message larger than 65536 bytes refused"),
                Arguments.of("empty", new byte[0], 2, "shorter than its 6-byte header"),
                Arguments.of("too few for a handover", handover, 3,
                        "a Handover message came with 3 descriptors; it carries 4"),
                Arguments.of("too many for a handover", handover, 5,
                        "a Handover message came with 5 descriptors; it carries 4"),
                Arguments.of("any for a request", statusRequest, 1,
                        "a StatusRequest message came with 1 descriptors; it carries 0"),
                Arguments.of("more than MAX_DESCRIPTORS", statusRequest, MessageCodec.MAX_DESCRIPTORS + 1,
                        "control message with more than 64 descriptors refused"),
                Arguments.of("far more than MAX_DESCRIPTORS", handover, 200,
                        "control message with more than 64 descriptors refused"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPackets")
    void receive_badPacketWithDescriptors_throwsAndClosesEveryReceivedDescriptor(
            String kind, byte[] packet, int descriptors, String expectedMessage) throws IOException {
        assertRefusedWithoutLeak(packet, descriptors, expectedMessage);
    }

    @Test
    void receive_everyTruncatedPrefixWithDescriptors_throwsAndClosesEveryReceivedDescriptor() throws IOException {
        byte[] handover = MessageCodec.encode(SampleMessages.handover(1));
        for (int length = 1; length < handover.length; length++) {
            assertRefusedWithoutLeak(Arrays.copyOf(handover, length), 4,
                    length < 6 ? "shorter than its 6-byte header" : "truncated control message (" + length + " bytes)");
        }
    }

    @Test
    void receive_nothingSent_throwsSocketTimeoutException() {
        assertThatThrownBy(() -> receiver.receive(Duration.ofMillis(100)))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessage("no control message within 100 ms");
    }

    @Test
    void receive_peerClosed_throwsEofException() {
        sender.close();

        assertThatThrownBy(() -> receiver.receive(TIMEOUT))
                .isInstanceOf(EOFException.class)
                .hasMessage("the peer closed the control connection");
    }

    @Test
    void receive_peerClosedAfterSending_deliversTheMessageThenEof() throws IOException {
        sender.send(new Message.StopAck(42));
        sender.close();

        assertThat(receiver.receiveMessage(TIMEOUT)).isEqualTo(new Message.StopAck(42));
        assertThatThrownBy(() -> receiver.receive(TIMEOUT)).isInstanceOf(EOFException.class);
    }

    @Test
    void request_answeredByPeer_returnsTheReply() throws Exception {
        Thread peer = Thread.ofPlatform().start(() -> {
            try {
                Message request = receiver.receiveMessage(TIMEOUT);
                receiver.send(new Message.Refused("got " + request.getClass().getSimpleName()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        assertThat(sender.request(new Message.ReloadRequest(), TIMEOUT)).isEqualTo(new Message.Refused("got ReloadRequest"));
        peer.join();
    }

    @Test
    void close_calledTwice_closesItsDescriptorOnce() throws IOException {
        sender.close();
        int reused = Descriptors.duplicate(1, senderFd);
        try {
            assertThat(reused).isEqualTo(senderFd);
            sender.close();
            assertThat(Descriptors.isOpen(reused)).isTrue();
        } finally {
            Descriptors.close(reused);
        }
    }

    /**
     * Sends {@code packet} raw with {@code count} duplicated descriptors, closes this side's copies,
     * and checks that {@code receive} refuses it and leaves exactly the descriptors open that were open
     * before; then that the channel still delivers the next good message.
     */
    private void assertRefusedWithoutLeak(byte[] packet, int count, String expectedMessage) throws IOException {
        int[] attached = duplicates(1, count);
        DescriptorPassing.send(senderFd, packet, attached);
        OpenDescriptors.closeAll(attached);
        Map<Integer, String> before = OpenDescriptors.snapshot();

        assertThatThrownBy(() -> receiver.receive(TIMEOUT))
                .as("%d-byte packet with %d descriptors", packet.length, count)
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(expectedMessage);

        assertThat(OpenDescriptors.openedSince(before)).as("descriptors left open by the refusal").isEmpty();
        sender.send(new Message.StopAck(7));
        assertThat(receiver.receiveMessage(TIMEOUT)).isEqualTo(new Message.StopAck(7));
    }

    /** {@code count} close-on-exec duplicates of {@code fd}, numbered from 10 up. */
    private static int[] duplicates(int fd, int count) throws IOException {
        int[] fds = new int[count];
        for (int i = 0; i < count; i++) {
            fds[i] = Descriptors.duplicate(fd, 10);
        }
        return fds;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private static ServerSocketChannel bindLoopback() throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return channel;
    }

    /** Connects to {@code original}'s address and accepts through {@code adopted}; one byte goes through. */
    private static void assertAcceptsThrough(ServerSocketChannel adopted, ServerSocketChannel original)
            throws IOException {
        InetSocketAddress address = (InetSocketAddress) original.getLocalAddress();
        assertThat(adopted.getLocalAddress()).isEqualTo(address);
        try (SocketChannel client = SocketChannel.open(address);
                SocketChannel accepted = adopted.accept()) {
            client.write(ByteBuffer.wrap(new byte[] {42}));
            ByteBuffer one = ByteBuffer.allocate(1);
            accepted.read(one);
            assertThat(one.array()).containsExactly(42);
        }
    }
}
