package dev.baton.internal.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether another process's output descriptor may be reopened for appending: only if that process opened
 * it for writing. A JVM started with its stdout or stderr closed reuses descriptor 1 or 2 for the first
 * files it reads, such as the JDK's {@code lib/modules} or the application's jar; reopening those for
 * appending would write a dead pipe's output into them and break the JDK and the application for good.
 */
public final class WritableDescriptor {

    /** {@code O_ACCMODE} of the {@code flags:} line of {@code /proc/PID/fdinfo/FD} (octal). */
    private static final int ACCESS_MODE = 3;
    private static final int READ_ONLY = 0;

    private WritableDescriptor() {}

    /** Whether {@code fd} of process {@code pid} ({@code "self"} for this one) was opened for writing. */
    public static boolean isOpenForWriting(String pid, int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "fdinfo", Integer.toString(fd)))) {
                if (line.startsWith("flags:")) {
                    int flags = Integer.parseInt(line.substring("flags:".length()).strip(), 8);
                    return (flags & ACCESS_MODE) != READ_ONLY;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to read: not known to be writable
        }
        return false;
    }
}
