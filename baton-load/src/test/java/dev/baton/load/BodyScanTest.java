package dev.baton.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyScanTest {

    private static long find(String body, byte[] key) {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        return BodyScan.find(bytes, bytes.length, key);
    }

    @Test
    void demoBody_pidAndGenerationFound() {
        assertThat(find("hello from pid=4711 generation=2\n", BodyScan.PID)).isEqualTo(4711);
        assertThat(find("hello from pid=4711 generation=2\n", BodyScan.GENERATION)).isEqualTo(2);
        assertThat(find("pid=12", BodyScan.PID)).as("at the very end").isEqualTo(12);
    }

    @Test
    void keyInsideAnotherWord_ignored() {
        assertThat(find("ppid=1 pid=2", BodyScan.PID)).isEqualTo(2);
        assertThat(find("{\"pid\":3, x_pid=4}", BodyScan.PID)).isEqualTo(-1);
    }

    @Test
    void keyWithoutDigitsOrWithTooMany_ignored() {
        assertThat(find("pid= pid=x pid=", BodyScan.PID)).isEqualTo(-1);
        assertThat(find("pid=1234567890123456789 pid=5", BodyScan.PID)).isEqualTo(5);
        assertThat(find("", BodyScan.PID)).isEqualTo(-1);
    }
}
