package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins baton-core's contract: applications see dev.baton alone; each internal package is exported to the supervisor only. */
class ModuleTest {

    @Test
    void moduleDescriptor_exportsOnlyTheApiPackageToEveryone() throws Exception {
        ModuleDescriptor descriptor = ModuleDescriptors.of(Baton.class);

        assertThat(descriptor.name()).isEqualTo("dev.baton");
        assertThat(descriptor.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source))
                .containsExactly("dev.baton");
        assertThat(descriptor.opens()).isEmpty();
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "jdk.unsupported", "jdk.jfr");
    }

    @Test
    void moduleDescriptor_exportsInternalPackagesToTheSupervisorAlone() throws Exception {
        ModuleDescriptor descriptor = ModuleDescriptors.of(Baton.class);

        assertThat(descriptor.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets)))
                .containsOnlyKeys("dev.baton.internal.control", "dev.baton.internal.listen", "dev.baton.internal.os",
                        "dev.baton.internal.protocol", "dev.baton.internal.service")
                .allSatisfy((pkg, targets) -> assertThat(targets).as(pkg).containsExactly("dev.baton.supervisor"));
    }
}
