package dev.baton.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ServiceStatus;
import dev.baton.internal.protocol.Message.Handover;
import dev.baton.internal.protocol.Message.ReadyNotice;
import dev.baton.internal.protocol.Message.Refused;
import dev.baton.internal.protocol.Message.StatusReply;
import dev.baton.internal.protocol.Message.StopAck;
import dev.baton.internal.protocol.Message.StopRequest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {

    static Stream<Message> everyMessage() {
        return SampleMessages.all().stream();
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void decode_encodedMessage_returnsAnEqualMessage(Message message) throws ProtocolException {
        assertThat(MessageCodec.decode(MessageCodec.encode(message))).isEqualTo(message);
    }

    @Test
    void sampleMessages_coverEveryMessageType() {
        assertThat(SampleMessages.all().stream().map(Object::getClass).distinct())
                .containsExactlyInAnyOrder(Message.class.getPermittedSubclasses());
    }

    @Test
    void encode_stopRequest_writesMagicVersionTypeAndFieldsBigEndian() {
        assertThat(HexFormat.of().formatHex(MessageCodec.encode(new StopRequest(true)))).isEqualTo("42540002000901");
        assertThat(HexFormat.of().formatHex(MessageCodec.encode(new StopAck(0x0102030405060708L))))
                .isEqualTo("42540002000a0102030405060708");
    }

    @Test
    void descriptorCount_handover_isListenersPlusControlStdoutAndStderr() {
        assertThat(SampleMessages.handover(0).descriptorCount()).isEqualTo(3);
        assertThat(SampleMessages.handover(5).descriptorCount()).isEqualTo(8);
        assertThat(SampleMessages.all().stream().filter(m -> !(m instanceof Handover)))
                .allSatisfy(m -> assertThat(m.descriptorCount()).isZero());
    }

    @Test
    void decode_packetOfExactlyMaxBytes_isAccepted() throws ProtocolException {
        List<String> claimed = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            claimed.add("a".repeat(MessageCodec.MAX_STRING_BYTES));
        }
        claimed.add("b".repeat(MessageCodec.MAX_MESSAGE_BYTES - 6 - 2 - 15 * (2 + MessageCodec.MAX_STRING_BYTES) - 2));
        byte[] packet = MessageCodec.encode(new ReadyNotice(claimed));

        assertThat(packet).hasSize(MessageCodec.MAX_MESSAGE_BYTES);
        assertThat(MessageCodec.decode(packet)).isEqualTo(new ReadyNotice(claimed));
    }

    @Test
    void decode_badMagic_refusedNamingTheBytesFound() {
        assertRefused(packet(0x4854, MessageCodec.VERSION, 7), "not a Baton control message (starts with 0x4854, expected 0x4254)");
        assertRefused("GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "not a Baton control message");
    }

    @Test
    void decode_everyPrefixOfEveryMessage_refusedAsTruncated() {
        for (Message message : SampleMessages.all()) {
            byte[] whole = MessageCodec.encode(message);
            for (int length = 0; length < whole.length; length++) {
                byte[] prefix = Arrays.copyOf(whole, length);
                String expected = length < 6
                        ? "control message of " + length + " bytes is shorter than its 6-byte header"
                        : "truncated control message (" + length + " bytes)";
                assertThatThrownBy(() -> MessageCodec.decode(prefix))
                        .as("%d-byte prefix of %s", length, message)
                        .isInstanceOf(ProtocolException.class)
                        .hasMessage(expected);
            }
        }
    }

    @Test
    void decode_oversizedPacket_refusedNamingItsSize() {
        byte[] oversized = Arrays.copyOf(packet(MessageCodec.MAGIC, MessageCodec.VERSION, 7), MessageCodec.MAX_MESSAGE_BYTES + 1);

        assertRefused(oversized, "control message of 65537 bytes exceeds 65536 bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 0x0101, 0xffff})
    void decode_otherProtocolVersion_refusedNamingBothVersions(int version) {
        assertRefused(packet(MessageCodec.MAGIC, version, 7),
                "unsupported protocol version " + version + "; this Baton speaks version 2");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 15, 0x0100, 0xffff})
    void decode_unknownType_refusedNamingTheType(int type) {
        assertRefused(packet(MessageCodec.MAGIC, MessageCodec.VERSION, type), "unknown control message type " + type);
    }

    @Test
    void decode_trailingBytes_refusedCountingThem() {
        byte[] stopAck = MessageCodec.encode(new StopAck(1));

        assertRefused(Arrays.copyOf(stopAck, stopAck.length + 1), "1 unexpected bytes after a StopAck message");
        byte[] readyAck = MessageCodec.encode(new Message.ReadyAck());
        assertRefused(Arrays.copyOf(readyAck, readyAck.length + 3), "3 unexpected bytes after a ReadyAck message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"c328", "ff", "c080", "eda080", "e282", "f4908080"})
    void decode_stringThatIsNotUtf8_refused(String hex) {
        byte[] invalid = HexFormat.of().parseHex(hex);

        assertRefused(packet(MessageCodec.MAGIC, MessageCodec.VERSION, 11, stringField(invalid)), "a string field is not valid UTF-8");
    }

    @Test
    void decode_stringLongerThanItsBound_refusedNamingItsLength() {
        byte[] tooLong = new byte[MessageCodec.MAX_STRING_BYTES + 1];
        Arrays.fill(tooLong, (byte) 'a');

        assertRefused(packet(MessageCodec.MAGIC, MessageCodec.VERSION, 11, stringField(tooLong)),
                "a string field of 4097 bytes exceeds 4096");
        assertRefused(packet(MessageCodec.MAGIC, MessageCodec.VERSION, 11, new byte[] {(byte) 0xff, (byte) 0xff}),
                "a string field of 65535 bytes exceeds 4096");
    }

    @Test
    void decode_listLongerThanItsBound_refusedNamingItsSize() {
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        fields.writeBytes(new byte[] {0x01, 0x01}); // 257 elements
        for (int i = 0; i < 257; i++) {
            fields.writeBytes(stringField(new byte[] {'x'}));
        }

        assertRefused(packet(MessageCodec.MAGIC, MessageCodec.VERSION, 3, fields.toByteArray()), "a list of 257 elements exceeds 256");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 0x7f, 0xff})
    void decode_booleanByteAboveOne_refusedNamingTheByte(int value) {
        assertRefused(packet(MessageCodec.MAGIC, MessageCodec.VERSION, 9, new byte[] {(byte) value}), "a boolean field holds " + value);
        byte[] reloadResult = MessageCodec.encode(
                new Message.ReloadResult(true, 1, 2, 3, 4, "ok", List.of()));
        reloadResult[6] = (byte) value;
        assertRefused(reloadResult, "a boolean field holds " + value);
    }

    @Test
    void decode_statusWithAStateNoBatonKnows_refusedNamingIt() {
        byte[] status = MessageCodec.encode(new StatusReply(new ServiceStatus(1, "svc", ServiceStatus.Mode.IN_PROCESS,
                ServiceStatus.State.SERVING, List.of(), List.of(), "none")));
        String text = new String(status, java.nio.charset.StandardCharsets.ISO_8859_1).replace("serving", "servinG");

        assertRefused(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "unknown state 'servinG'");
    }

    @Test
    void statusReply_listenersAndProcesses_travelAsTheStatusShowsThem() throws ProtocolException {
        ServiceStatus.ProcessStatus draining = new ServiceStatus.ProcessStatus(8, 2, ServiceStatus.State.DRAINING,
                java.time.Instant.ofEpochMilli(1_700_000_000_123L));
        StatusReply reply = new StatusReply(new ServiceStatus(7, "svc", ServiceStatus.Mode.SUPERVISED,
                ServiceStatus.State.RELOADING, List.of("http=unix:/run/a=b.sock"), List.of(draining), "none"));

        ServiceStatus status = ((StatusReply) MessageCodec.decode(MessageCodec.encode(reply))).status();

        assertThat(status.mode()).isEqualTo(ServiceStatus.Mode.SUPERVISED);
        assertThat(status.state()).isEqualTo(ServiceStatus.State.RELOADING);
        assertThat(status.listeners()).containsExactly("http=unix:/run/a=b.sock");
        assertThat(status.processes()).containsExactly(draining);
    }

    @Test
    void encode_stringLongerThanItsBound_refused() {
        assertThatThrownBy(() -> MessageCodec.encode(new Refused("é".repeat(2049))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a string of 4098 bytes exceeds 4096");
    }

    @Test
    void encode_listLongerThanItsBound_refused() {
        assertThatThrownBy(() -> MessageCodec.encode(new ReadyNotice(java.util.Collections.nCopies(257, "x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a list of 257 exceeds 256");
    }

    @Test
    void encode_messageLargerThanMaxBytes_refusedNamingItsSize() {
        List<String> listeners = java.util.Collections.nCopies(MessageCodec.MAX_LIST_SIZE, "n".repeat(4096) + "=:80");
        StatusReply huge = new StatusReply(new ServiceStatus(1, "svc", ServiceStatus.Mode.SUPERVISED,
                ServiceStatus.State.SERVING, listeners, List.of(), ""));

        assertThatThrownBy(() -> MessageCodec.encode(huge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("control message of \\d+ bytes exceeds 65536 bytes");
    }

    private static void assertRefused(byte[] packet, String expectedMessage) {
        assertThatThrownBy(() -> MessageCodec.decode(packet))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(expectedMessage);
    }

    private static byte[] packet(int magic, int version, int type, byte[]... fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(magic);
            out.writeShort(version);
            out.writeShort(type);
            for (byte[] field : fields) {
                out.write(field);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] stringField(byte[] content) {
        byte[] field = new byte[2 + content.length];
        field[0] = (byte) (content.length >>> 8);
        field[1] = (byte) content.length;
        System.arraycopy(content, 0, field, 2, content.length);
        return field;
    }
}
