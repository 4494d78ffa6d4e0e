package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the demo module's contract: it exports the demo package and uses only public APIs, as an application would. */
class ModuleTest {

    /** The module descriptor compiled into this module's classes (the tests run on the class path). */
    static ModuleDescriptor descriptor() throws Exception {
        Path classes = Path.of(DemoCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void moduleDescriptor_exportsOnlyTheDemoPackage_andOpensItsCommandsToPicocliAlone() throws Exception {
        ModuleDescriptor descriptor = descriptor();

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
