package dev.baton.internal.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Linker;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityTest {

    /** Surefire starts this JVM with the flags Baton needs; a JVM without them is tested elsewhere. */
    @Test
    void unavailabilityCause_jvmWithNativeAccessAndSunNioChOpened_isEmpty() {
        assertThat(Availability.unavailabilityCause()).isEmpty();
    }

    /** This machine has glibc 2.36 and Linux 6: every function resolves and pidfds work. */
    @Test
    void supervisorUnavailabilityCause_glibc236AndLinux6_isEmpty() {
        assertThat(Availability.supervisorUnavailabilityCause()).isEmpty();
    }

    @Test
    void glibcVersion_readsTheRunningCLibrarysVersion() {
        assertThat(Availability.glibcVersion(Linker.nativeLinker().defaultLookup()))
                .hasValueSatisfying(version -> assertThat(version).matches("2\\.\\d+"));
    }

    @Test
    void missingFlags_onTheClassPath_nameAllUnnamed() {
        Module unnamed = Availability.class.getModule(); // the tests run on the class path

        assertThat(Availability.missingFlags(unnamed, false, false)).containsExactly(
                "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
    }

    @Test
    void missingFlags_inANamedModule_nameThatModule() {
        Module named = Object.class.getModule(); // any named module: Baton's would say dev.baton

        assertThat(Availability.missingFlags(named, false, true)).containsExactly("--enable-native-access=java.base");
        assertThat(Availability.missingFlags(named, true, false))
                .containsExactly("--add-opens=java.base/sun.nio.ch=java.base");
    }

    @Test
    void describeMissing_namedModule_saysTheManifestDoesNotApply() {
        assertThat(Availability.describeMissing(true, List.of("--enable-native-access=dev.baton")))
                .contains("--enable-native-access=dev.baton", "named module dev.baton", "class path only")
                .doesNotContain("Enable-Native-Access: ALL-UNNAMED");
        assertThat(Availability.describeMissing(false, List.of("--enable-native-access=ALL-UNNAMED")))
                .contains("'Enable-Native-Access: ALL-UNNAMED'");
    }
}
