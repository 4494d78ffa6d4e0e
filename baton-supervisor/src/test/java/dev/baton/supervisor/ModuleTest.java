package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the module's contract: one exported package, for the CLI and for applications that embed a supervisor. */
class ModuleTest {

    /** The module descriptor compiled into this module's classes (the tests run on the class path). */
    static ModuleDescriptor descriptor() throws Exception {
        Path classes = Path.of(Supervisor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void moduleDescriptor_exportsOnlyTheSupervisorPackage_andReadsOnlyBaton() throws Exception {
        ModuleDescriptor descriptor = descriptor();

        assertThat(descriptor.name()).isEqualTo("dev.baton.supervisor");
        assertThat(descriptor.exports()).map(ModuleDescriptor.Exports::source).containsExactly("dev.baton.supervisor");
        assertThat(descriptor.exports()).allMatch(e -> !e.isQualified());
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "dev.baton");
    }
}
