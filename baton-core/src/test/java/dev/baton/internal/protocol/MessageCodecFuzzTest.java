package dev.baton.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The control protocol's decoder fed any bytes a client of the same user could send: it either refuses
 * them with a {@link ProtocolException} or returns a message that encodes back to a packet decoding to
 * the same message. Any other exception, a hang or an out-of-memory is a finding.
 *
 * <p>Every test run replays the seed corpus (the resources beside this class, one packet a file, and
 * every finding kept there); {@code JAZZER_FUZZ=1 ./mvnw -pl baton-core test -Dtest=MessageCodecFuzzTest}
 * fuzzes for the duration below.
 */
class MessageCodecFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void decode_anyBytes_refusedOrRoundTrips(byte[] packet) {
        Message message;
        try {
            message = MessageCodec.decode(packet);
        } catch (ProtocolException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(message.descriptorCount()).isBetween(0, MessageCodec.MAX_DESCRIPTORS);
        byte[] again = MessageCodec.encode(message);
        assertThat(again.length).isLessThanOrEqualTo(MessageCodec.MAX_MESSAGE_BYTES);
        try {
            assertThat(MessageCodec.decode(again)).isEqualTo(message);
        } catch (ProtocolException e) {
            throw new AssertionError("a decoded message does not decode again once encoded: " + message, e);
        }
    }
}
