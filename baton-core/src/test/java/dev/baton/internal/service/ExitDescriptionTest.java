package dev.baton.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitDescriptionTest {

    @Test
    void of_exitStatus_wordedAsAnExit() {
        assertThat(ExitDescription.of(2, 0)).isEqualTo("exited with status 2");
        assertThat(ExitDescription.of(127, 0)).isEqualTo("exited with status 127 (command not found)");
    }

    @Test
    void of_signal_wordedAsAKillWithItsName() {
        assertThat(ExitDescription.of(-1, 9)).isEqualTo("was killed by signal 9 (SIGKILL)");
        assertThat(ExitDescription.of(-1, 40)).isEqualTo("was killed by signal 40");
    }

    @Test
    void ofExitValue_jvmThatExited143AfterSigterm_anExitNotAKill() {
        assertThat(ExitDescription.ofExitValue(143)).isEqualTo("exited with status 143 (128 + 15, SIGTERM)");
        assertThat(ExitDescription.ofExitValue(1)).isEqualTo("exited with status 1");
        assertThat(ExitDescription.ofExitValue(255)).isEqualTo("exited with status 255");
    }
}
