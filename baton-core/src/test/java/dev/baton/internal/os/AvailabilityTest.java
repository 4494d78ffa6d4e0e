package dev.baton.internal.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AvailabilityTest {

    /** Surefire starts this JVM with the flags Baton needs; a JVM without them is tested elsewhere. */
    @Test
    void unavailabilityCause_jvmWithNativeAccessAndSunNioChOpened_isEmpty() {
        assertThat(Availability.unavailabilityCause()).isEmpty();
    }
}
