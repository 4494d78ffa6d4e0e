package dev.baton.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** This process's open descriptors, read from {@code /proc/self}, to prove that nothing leaks. */
public final class OpenDescriptors {

    private static final Path FD_DIRECTORY = Path.of("/proc/self/fd");
    private static final Pattern LISTING_ITSELF = Pattern.compile("/proc/(self|\\d+)/fd");

    private OpenDescriptors() {}

    /**
     * Every open descriptor and what it refers to (as {@code readlink /proc/self/fd/N} says), leaving
     * out the descriptor this listing opens for itself.
     */
    public static Map<Integer, String> snapshot() {
        Map<Integer, String> open = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FD_DIRECTORY)) {
            for (Path entry : entries) {
                try {
                    String target = Files.readSymbolicLink(entry).toString();
                    if (!LISTING_ITSELF.matcher(target).matches()) {
                        open.put(Integer.parseInt(entry.getFileName().toString()), target);
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // closed between the listing and the readlink
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open;
    }

    /**
     * What changed since {@code before} (a {@link #snapshot()}): {@code "+27 pipe:[123]"} for a descriptor
     * opened since, {@code "-9 socket:[456]"} for one closed since; empty if nothing changed.
     */
    public static List<String> changesSince(Map<Integer, String> before) {
        Map<Integer, String> now = snapshot();
        List<String> changes = new ArrayList<>();
        now.forEach((fd, target) -> {
            if (!target.equals(before.get(fd))) {
                changes.add("+" + fd + " " + target);
            }
        });
        before.forEach((fd, target) -> {
            if (!target.equals(now.get(fd))) {
                changes.add("-" + fd + " " + target);
            }
        });
        return changes;
    }

    /** The file status flags of {@code fd} (the {@code flags:} line of {@code /proc/self/fdinfo/N}, octal). */
    public static int fileStatusFlags(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd)))) {
                if (line.startsWith("flags:")) {
                    return Integer.parseInt(line.substring("flags:".length()).strip(), 8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("/proc/self/fdinfo/" + fd + " has no flags line");
    }
}
