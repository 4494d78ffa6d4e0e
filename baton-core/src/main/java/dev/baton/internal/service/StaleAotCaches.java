package dev.baton.internal.service;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The caches of earlier builds in an AOT cache directory. A new build of a jar (or a new JDK) has a new
 * key, so a new cache, and the old one, 30 to 70 MB, would stay in the directory for good. Each cache
 * records what it was made from ({@code <key>.source}: the main jar and the JDK's {@code lib/modules}, with
 * their sizes and times, {@link AotCacheKey#sources}); once one of those files has changed at the same path,
 * no command can have that key again, and its files are removed. Caches of other jars, and of the same
 * jar with other JVM options (another service sharing the directory), keep what they record and stay.
 *
 * <p>Removing a cache that a running generation maps is safe: the JVM keeps its mapping of the unlinked
 * file (what must never happen is a truncation or a rewrite in place, which ends it with SIGBUS).
 */
final class StaleAotCaches {

    static final String SOURCE = ".source";

    private StaleAotCaches() {}

    /** Records what the cache {@code key} is made from, for {@link #remove} to judge it later. */
    static void record(Path directory, String key, List<String> command) throws IOException {
        Files.writeString(directory.resolve(key + SOURCE), String.join("\n", AotCacheKey.sources(command)) + "\n");
    }

    /**
     * Removes the files of every other key in {@code directory} whose recorded main jar or JDK is one of
     * {@code command}'s at the same path but has changed since; a key whose recorder or assembly still
     * runs ({@code running} of its pid file) is kept. Returns the keys removed.
     */
    static List<String> remove(Path directory, String key, List<String> command, Predicate<Path> running)
            throws IOException {
        List<String> current = AotCacheKey.sources(command);
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> sources = Files.newDirectoryStream(directory, "*" + SOURCE)) {
            for (Path source : sources) {
                String other = source.getFileName().toString();
                other = other.substring(0, other.length() - SOURCE.length());
                if (other.equals(key) || running.test(directory.resolve(other + ".recorder"))
                        || running.test(directory.resolve(other + ".assembler"))) {
                    continue;
                }
                if (replacedSince(Files.readAllLines(source), current)) {
                    removeFiles(directory, other);
                    removed.add(other);
                }
            }
        }
        return removed;
    }

    /** Whether a file {@code recorded} names is one of {@code current}'s paths, with another size or time. */
    static boolean replacedSince(List<String> recorded, List<String> current) {
        for (String then : recorded) {
            int tab = then.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            String path = then.substring(0, tab + 1);
            if (current.stream().anyMatch(now -> now.startsWith(path) && !now.equals(then))) {
                return true;
            }
        }
        return false;
    }

    /** Every file of {@code key}: {@code <key>.aot}, its recording, logs, pid files and source. */
    private static void removeFiles(Path directory, String key) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(file -> file.getFileName().toString().startsWith(key + ".")).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
