package dev.baton.internal.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the file a program name runs, as {@code execvp} would: a name with a slash is itself; a bare
 * name is the first regular, executable file of that name in a directory of the search path (an empty
 * entry is the current directory). {@code posix_spawn} and {@code execve} do no search of their own.
 */
public final class ExecutableSearch {

    /** glibc's search path where {@code PATH} is unset. */
    public static final String DEFAULT_PATH = "/bin:/usr/bin";

    private ExecutableSearch() {}

    /** The file {@code name} runs with {@code searchPath} (the value of {@code PATH}; null or empty: the default). */
    public static Optional<Path> find(String name, String searchPath) {
        if (name.contains("/")) {
            return Optional.of(Path.of(name));
        }
        for (String directory : searched(searchPath).split(":", -1)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The directories {@link #find} looks in for {@code searchPath}, for a message. */
    public static String searched(String searchPath) {
        return searchPath == null || searchPath.isEmpty() ? DEFAULT_PATH : searchPath;
    }
}
