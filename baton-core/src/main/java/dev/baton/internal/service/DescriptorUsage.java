package dev.baton.internal.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * How many descriptors this process has open against its limit ({@code RLIMIT_NOFILE}), to say "out of
 * descriptors" plainly where the JDK only reports that a process could not be started.
 */
public final class DescriptorUsage {

    /** Descriptors a start needs beyond what is open: pipes, the exec of the helper, the class files. */
    private static final long HEADROOM = 16;

    private DescriptorUsage() {}

    /**
     * A sentence saying this process is out of descriptors, if it is (or so close that starting a
     * process fails), else empty; {@code failure} is what the failed start said.
     */
    public static Optional<String> exhaustion(IOException failure) {
        OptionalLong limit = softLimit();
        OptionalLong open = openCount();
        boolean saysSo = String.valueOf(failure.getMessage()).contains("error=24")
                || String.valueOf(failure.getMessage()).contains("Too many open files");
        boolean nearLimit = limit.isPresent() && (open.isEmpty() || open.getAsLong() + HEADROOM >= limit.getAsLong());
        if (!saysSo && !nearLimit) {
            return Optional.empty();
        }
        String count = open.isPresent() ? open.getAsLong() + " descriptors open" : "every descriptor in use";
        String of = limit.isPresent() ? " of its limit of " + limit.getAsLong() : "";
        return Optional.of("this process is out of file descriptors (" + count + of + ", RLIMIT_NOFILE): "
                + "close some (idle connections, leaked files) or raise the limit (LimitNOFILE= under systemd, "
                + "ulimit -n), then reload");
    }

    /** {@code failure} reworded as "out of descriptors" (its own words in brackets) if that is its cause, else empty. */
    public static Optional<IOException> explained(IOException failure) {
        return exhaustion(failure).map(sentence -> new IOException(sentence + " (" + failure.getMessage() + ")", failure));
    }

    /** Descriptors open now, or empty if they cannot be counted (listing them needs one more). */
    static OptionalLong openCount() {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            return OptionalLong.of(entries.count() - 1); // less the directory listing's own
        } catch (IOException | java.io.UncheckedIOException e) {
            return OptionalLong.empty();
        }
    }

    /** The soft limit from /proc/self/limits, or empty if it cannot be read or is unlimited. */
    static OptionalLong softLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable (out of descriptors itself): no limit to name
        }
        return OptionalLong.empty();
    }
}
