package dev.baton.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parse_argumentsEndedByNul_splitAtEachNul() {
        assertThat(CommandLine.parse(bytes("java\0-jar\0app.jar\0"))).containsExactly("java", "-jar", "app.jar");
    }

    @Test
    void parse_lastArgumentWithoutItsNul_kept() {
        assertThat(CommandLine.parse(bytes("java\0-version"))).containsExactly("java", "-version");
    }

    @Test
    void parse_emptyArgumentsAndUtf8_keptAsTheyAre() {
        assertThat(CommandLine.parse(bytes("app\0\0--name=ünï\0"))).containsExactly("app", "", "--name=ünï");
    }

    @Test
    void parse_nothing_noArguments() {
        assertThat(CommandLine.parse(new byte[0])).isEmpty();
    }

    @Test
    void ofThisProcess_theJvmRunningThisTest_startsWithItsLauncher() throws IOException {
        assertThat(CommandLine.ofThisProcess()).first().asString().endsWith("java");
        assertThat(CommandLine.ofProcess(ProcessHandle.current().pid())).isEqualTo(CommandLine.ofThisProcess());
    }
}
