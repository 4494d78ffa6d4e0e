package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the demo module's contract: it exports the demo package and uses only public APIs, as an application would. */
class ModuleTest {

    @Test
    void moduleDescriptor_exportsOnlyTheDemoPackage_andOpensItsCommandsToPicocliAlone() throws Exception {
        ModuleDescriptor descriptor = ModuleDescriptors.of(DemoCli.class);

        assertThat(descriptor.name()).isEqualTo("dev.baton.demo");
        assertThat(descriptor.exports()).map(ModuleDescriptor.Exports::source).containsExactly("dev.baton.demo");
        assertThat(descriptor.exports()).allMatch(e -> !e.isQualified());
        assertThat(descriptor.opens()).singleElement().satisfies(open -> {
            assertThat(open.source()).isEqualTo("dev.baton.demo.cli");
            assertThat(open.targets()).containsExactly("info.picocli");
        });
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "dev.baton.jetty", "dev.baton.netty", "dev.baton.grpc",
                        "dev.baton.load", "io.netty.buffer", "io.netty.codec.http", "io.netty.codec.http2",
                        "info.picocli", "java.logging", "dev.baton.micrometer", "micrometer.registry.prometheus",
                        "java.net.http", "org.eclipse.jetty.websocket.core.server");
    }
}
