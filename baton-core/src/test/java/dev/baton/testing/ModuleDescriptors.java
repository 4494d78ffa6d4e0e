package dev.baton.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A module's descriptor as compiled into its classes, for the ModuleTest of each module (tests run on the class path). */
public final class ModuleDescriptors {

    private ModuleDescriptors() {}

    /** The descriptor of the module {@code anyClass} belongs to, read from the {@code module-info.class} in its classes folder. */
    public static ModuleDescriptor of(Class<?> anyClass) {
        try {
            Path classes = Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the module descriptor of " + anyClass.getName(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
