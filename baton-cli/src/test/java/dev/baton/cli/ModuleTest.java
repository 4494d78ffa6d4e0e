package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the CLI module's contract: it exports nothing, and reads the supervisor and picocli but nothing of the demo. */
class ModuleTest {

    @Test
    void moduleDescriptor_exportsNothing_opensTheCommandsToPicocliAlone_andReadsNoDemoModule() throws Exception {
        ModuleDescriptor descriptor = ModuleDescriptors.of(BatonCli.class);

        assertThat(descriptor.name()).isEqualTo("dev.baton.cli");
        assertThat(descriptor.exports()).isEmpty();
        assertThat(descriptor.opens()).singleElement().satisfies(open -> {
            assertThat(open.source()).isEqualTo("dev.baton.cli");
            assertThat(open.targets()).containsExactly("info.picocli");
        });
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "dev.baton.supervisor", "info.picocli", "java.logging");
    }
}
