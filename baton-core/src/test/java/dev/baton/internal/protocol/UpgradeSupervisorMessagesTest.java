package dev.baton.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.internal.protocol.Message.UpgradeSupervisorRequest;
import dev.baton.internal.protocol.Message.UpgradeSupervisorResult;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The messages of {@code baton upgrade-supervisor}: types 12 and 13, round trips, and what is refused. */
class UpgradeSupervisorMessagesTest {

    @Test
    void encode_request_isTypeTwelveWithNoFields() throws ProtocolException {
        byte[] packet = MessageCodec.encode(new UpgradeSupervisorRequest());

        assertThat(HexFormat.of().formatHex(packet)).isEqualTo("42540002000c");
        assertThat(MessageCodec.decode(packet)).isEqualTo(new UpgradeSupervisorRequest());
        assertThat(new UpgradeSupervisorRequest().descriptorCount()).isZero();
    }

    @Test
    void encode_result_isTypeThirteenWithItsFieldsBigEndian() throws ProtocolException {
        UpgradeSupervisorResult result = new UpgradeSupervisorResult(true, 0x0102, 3, 0x0405, "ok");

        byte[] packet = MessageCodec.encode(result);

        assertThat(HexFormat.of().formatHex(packet)).isEqualTo("42540002000d" + "01" + "0000000000000102" + "00000003"
                + "0000000000000405" + "0002" + "6f6b");
        assertThat(MessageCodec.decode(packet)).isEqualTo(result);
        assertThat(result.descriptorCount()).isZero();
    }

    @Test
    void decode_result_roundTripsEdgeValues() throws ProtocolException {
        for (UpgradeSupervisorResult result : new UpgradeSupervisorResult[] {
            new UpgradeSupervisorResult(false, Long.MIN_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, ""),
            new UpgradeSupervisorResult(true, Long.MAX_VALUE, Integer.MAX_VALUE, -1, "ünïcødé ✓ 𝄞".repeat(100)),
        }) {
            assertThat(MessageCodec.decode(MessageCodec.encode(result))).isEqualTo(result);
        }
    }

    @Test
    void decode_truncatedOrTrailingResult_refused() {
        byte[] whole = MessageCodec.encode(new UpgradeSupervisorResult(true, 1, 1, 1, "done"));

        assertThatThrownBy(() -> MessageCodec.decode(Arrays.copyOf(whole, whole.length - 1)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> MessageCodec.decode(Arrays.copyOf(whole, whole.length + 2)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("2 unexpected bytes after a UpgradeSupervisorResult message");
        byte[] badBoolean = whole.clone();
        badBoolean[6] = 2;
        assertThatThrownBy(() -> MessageCodec.decode(badBoolean)).hasMessage("a boolean field holds 2");
    }

    @Test
    void decode_requestWithFields_refused() {
        byte[] packet = HexFormat.of().parseHex("42540002000c00");

        assertThatThrownBy(() -> MessageCodec.decode(packet))
                .hasMessage("1 unexpected bytes after a UpgradeSupervisorRequest message");
    }

    @Test
    void constructor_nullMessage_refused() {
        assertThatThrownBy(() -> new UpgradeSupervisorResult(true, 1, 1, 1, null))
                .isInstanceOf(NullPointerException.class);
    }
}
