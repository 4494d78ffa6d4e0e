package dev.baton.internal.os;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether Baton can run in this JVM, and if not, why and what to change: Linux on x86-64 or
 * aarch64, native access enabled for Baton, and {@code java.base/sun.nio.ch} opened to it.
 */
public final class Availability {

    private Availability() {}

    /** Why Baton cannot run here, or empty if it can. */
    public static Optional<String> unavailabilityCause() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("Baton runs on Linux only; this JVM runs on " + os);
        }
        if (!List.of("amd64", "x86_64", "aarch64").contains(arch)) {
            return Optional.of("Baton supports Linux on x86-64 and aarch64 only; this JVM runs on " + arch);
        }
        Module baton = Availability.class.getModule();
        String target = baton.isNamed() ? baton.getName() : "ALL-UNNAMED";
        List<String> flags = new ArrayList<>();
        if (!baton.isNativeAccessEnabled()) {
            flags.add("--enable-native-access=" + target);
        }
        if (!Object.class.getModule().isOpen("sun.nio.ch", baton)) {
            flags.add("--add-opens=java.base/sun.nio.ch=" + target);
        }
        if (flags.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Baton needs JVM flags this JVM was started without: " + String.join(" ", flags)
                + ". Add them to the java command line (or, for an executable jar, the manifest attributes "
                + "'Enable-Native-Access: ALL-UNNAMED' and 'Add-Opens: java.base/sun.nio.ch').");
    }
}
