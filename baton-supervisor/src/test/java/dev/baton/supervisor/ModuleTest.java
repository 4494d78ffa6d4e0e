package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the module's contract: one exported package, for the CLI and for applications that embed a supervisor. */
class ModuleTest {

    @Test
    void moduleDescriptor_exportsOnlyTheSupervisorPackage_andReadsOnlyBaton() throws Exception {
        ModuleDescriptor descriptor = ModuleDescriptors.of(Supervisor.class);

        assertThat(descriptor.name()).isEqualTo("dev.baton.supervisor");
        assertThat(descriptor.exports()).map(ModuleDescriptor.Exports::source).containsExactly("dev.baton.supervisor");
        assertThat(descriptor.exports()).allMatch(e -> !e.isQualified());
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "dev.baton");
    }
}
