package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.internal.service.LastLines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputRelayTest {

    @Test
    void relay_longLine_keptWholeForTheReportAndCopiedWhole() {
        String cause = "Caused by: " + "x".repeat(5000);
        String text = "first\n" + cause + "\nlast";
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        LastLines lines = new LastLines(20);

        new OutputRelay(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), copy, lines).run();

        assertThat(lines.snapshot()).containsExactly("first", cause, "last");
        assertThat(copy.toString(StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void relay_lineBeyondTheCap_cutForTheReportOnly() {
        String huge = "y".repeat(20_000);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        LastLines lines = new LastLines(20);

        new OutputRelay(new ByteArrayInputStream((huge + "\n").getBytes(StandardCharsets.UTF_8)), copy, lines).run();

        assertThat(lines.snapshot()).singleElement().satisfies(line -> assertThat(line).hasSize(8000));
        assertThat(copy.size()).isEqualTo(20_001);
    }
}
