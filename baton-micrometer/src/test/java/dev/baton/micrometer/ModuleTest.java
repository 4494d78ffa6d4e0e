package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the module's contract: one exported package; baton-core's public API and Micrometer, nothing else. */
class ModuleTest {

    @Test
    void moduleDescriptor_exportsOnlyTheMetricsPackage_andReadsBatonAndMicrometer() throws Exception {
        ModuleDescriptor descriptor = ModuleDescriptors.of(BatonMetrics.class);

        assertThat(descriptor.name()).isEqualTo("dev.baton.micrometer");
        assertThat(descriptor.exports()).map(ModuleDescriptor.Exports::source).containsExactly("dev.baton.micrometer");
        assertThat(descriptor.exports()).allMatch(e -> !e.isQualified());
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "dev.baton", "micrometer.core");
    }
}
