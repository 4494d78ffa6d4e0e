package dev.baton.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the module's contract: one exported package, no dependency beyond java.base. */
class ModuleTest {

    @Test
    void moduleDescriptor_exportsOnlyTheApiPackageAndRequiresOnlyJavaBase() throws Exception {
        Path classes = Path.of(LoadGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }

        assertThat(descriptor.name()).isEqualTo("dev.baton.load");
        assertThat(descriptor.exports()).map(ModuleDescriptor.Exports::source).containsExactly("dev.baton.load");
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactly("java.base");
    }
}
