package dev.baton.load;

import java.nio.charset.StandardCharsets;

/**
 * Finds {@code key=<digits>} values, such as the demo server's {@code pid=4711 generation=2}, in the
 * start of a response body.
 */
final class BodyScan {

    static final byte[] PID = "pid=".getBytes(StandardCharsets.US_ASCII);
    static final byte[] GENERATION = "generation=".getBytes(StandardCharsets.US_ASCII);

    /** More digits than this cannot be a pid or a generation: the value is ignored. */
    private static final int MAX_DIGITS = 18;

    private BodyScan() {
    }

    /**
     * The value of the first {@code key} in {@code body[0, length)} that starts a word (so
     * {@code ppid=} is not {@code pid=}) and is followed by 1 to 18 digits; -1 if there is none.
     */
    static long find(byte[] body, int length, byte[] key) {
        outer:
        for (int start = 0; start + key.length < length; start++) {
            if (start > 0 && isWordByte(body[start - 1])) {
                continue;
            }
            for (int k = 0; k < key.length; k++) {
                if (body[start + k] != key[k]) {
                    continue outer;
                }
            }
            long value = 0;
            int digits = 0;
            for (int i = start + key.length; i < length && isDigit(body[i]); i++) {
                value = value * 10 + (body[i] - '0');
                digits++;
                if (digits > MAX_DIGITS) {
                    continue outer;
                }
            }
            if (digits > 0) {
                return value;
            }
        }
        return -1;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isWordByte(byte b) {
        return isDigit(b) || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' || b == '-' || b == '.';
    }
}
