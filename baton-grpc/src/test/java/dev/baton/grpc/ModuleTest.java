package dev.baton.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Pins the module's contract: the API package and the demo service, nothing else. */
class ModuleTest {

    @Test
    void moduleDescriptor_exportsTheApiAndDemoPackagesOnly() throws Exception {
        Path classes = Path.of(BatonGrpc.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path descriptorFile = classes.resolve("module-info.class");
        assumeTrue(Files.exists(descriptorFile),
                "the descriptor is compiled once baton-core has its own (the modular-core profile)");
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(descriptorFile)) {
            descriptor = ModuleDescriptor.read(in);
        }

        assertThat(descriptor.name()).isEqualTo("dev.baton.grpc");
        assertThat(descriptor.exports()).map(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("dev.baton.grpc", "dev.baton.grpc.demo");
        assertThat(descriptor.exports()).allMatch(export -> !export.isQualified());
        assertThat(descriptor.requires()).map(ModuleDescriptor.Requires::name).contains("dev.baton", "io.grpc.netty");
    }
}
