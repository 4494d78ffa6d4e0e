package dev.baton;

import dev.baton.internal.os.Descriptors;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a successor gets this process's standard input, or {@code /dev/null}. A terminal, a pipe or
 * {@code /dev/null} is shared as it is. A regular file is not: a JVM started with its stdin closed puts the
 * first file it opens at descriptor 0 (the JDK's {@code lib/modules}), and a successor handed that would
 * hold the JDK's file as its input; and a file the first generation read from is no input for the next.
 */
final class SuccessorStdin {

    private SuccessorStdin() {}

    /** Whether descriptor 0 is open and not a regular file; call it before opening pipes, which may take 0. */
    static boolean shareable() {
        return Descriptors.isOpen(0) && !Files.isRegularFile(Path.of("/proc/self/fd/0"));
    }
}
