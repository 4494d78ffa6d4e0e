package dev.baton.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the module's contract: an application that exports nothing, open to Spring's reflection, on the starter. */
class ModuleTest {

    @Test
    void moduleDescriptor_exportsNothing_isOpen_andReadsTheStarterAndSpring() {
        ModuleDescriptor descriptor = ModuleDescriptors.of(SampleApplication.class);

        assertThat(descriptor.name()).isEqualTo("dev.baton.spring.sample");
        assertThat(descriptor.exports()).isEmpty();
        assertThat(descriptor.isOpen()).isTrue();
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "dev.baton.spring", "spring.beans", "spring.context",
                        "spring.boot", "spring.boot.autoconfigure", "spring.web", "reactor.core");
    }
}
