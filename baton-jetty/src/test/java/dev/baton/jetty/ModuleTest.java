package dev.baton.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the module's contract: one exported package; baton-core's public API and the Jetty modules it adapts, nothing else. */
class ModuleTest {

    @Test
    void moduleDescriptor_exportsOnlyTheAdapterPackage_andReadsBatonAndJetty() throws Exception {
        ModuleDescriptor descriptor = ModuleDescriptors.of(BatonJetty.class);

        assertThat(descriptor.name()).isEqualTo("dev.baton.jetty");
        assertThat(descriptor.exports()).map(ModuleDescriptor.Exports::source).containsExactly("dev.baton.jetty");
        assertThat(descriptor.exports()).allMatch(e -> !e.isQualified());
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "dev.baton", "org.eclipse.jetty.server",
                        "org.eclipse.jetty.http2.common", "org.eclipse.jetty.http2.server",
                        "org.eclipse.jetty.alpn.server", "org.eclipse.jetty.alpn.java.server",
                        "org.eclipse.jetty.websocket.core.common", "org.eclipse.jetty.websocket.core.server");
    }
}
