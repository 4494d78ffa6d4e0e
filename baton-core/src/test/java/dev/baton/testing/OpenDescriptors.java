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
     * The descriptors opened since {@code before} (a {@link #snapshot()}), as {@code "27 pipe:[123]"};
     * empty if none. A number that now refers to something else counts as opened. Descriptors closed
     * meanwhile (by another test's threads finishing) are not reported.
     */
    public static List<String> openedSince(Map<Integer, String> before) {
        List<String> opened = new ArrayList<>();
        snapshot().forEach((fd, target) -> {
            if (!target.equals(before.get(fd))) {
                opened.add(fd + " " + target);
            }
        });
        return opened;
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

    /** Closes descriptors a test opened by number (a socket pair, duplicates), ignoring failures. */
    public static void closeAll(int... fds) {
        for (int fd : fds) {
            dev.baton.internal.os.Descriptors.closeQuietly(fd);
        }
    }
}
