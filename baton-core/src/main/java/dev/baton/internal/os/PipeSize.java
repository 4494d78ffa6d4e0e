package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pipe's capacity ({@code fcntl F_SETPIPE_SZ}, Linux 2.6.35): 64 KiB by default, so a writer blocks
 * once that much is unread. An unprivileged process may raise it up to {@code /proc/sys/fs/pipe-max-size}
 * (1 MiB by default), within the per-user budget {@code pipe-user-pages-soft}.
 */
public final class PipeSize {

    private static final int F_SETPIPE_SZ = 1031;
    private static final int F_GETPIPE_SZ = 1032;
    private static final Path MAX_SIZE = Path.of("/proc/sys/fs/pipe-max-size");

    private static final MethodHandle FCNTL =
            LibC.variadicFunction("fcntl", FunctionDescriptor.of(INT, INT, INT, INT), 2);

    private PipeSize() {}

    /**
     * Raises the capacity of the pipe behind {@code fd} to {@code bytes}, or to the system's maximum if
     * that is lower.
     *
     * @return the capacity it has now
     * @throws SystemCallException if the kernel refused (EPERM past the user's budget); the pipe is unchanged
     */
    public static int raise(int fd, int bytes) throws SystemCallException {
        int wanted = Math.min(bytes, systemMaximum());
        int current = get(fd);
        if (current >= wanted) {
            return current;
        }
        return (int) SystemCall.call("fcntl(fd " + fd + ", F_SETPIPE_SZ, " + wanted + ")", FCNTL, fd, F_SETPIPE_SZ,
                wanted);
    }

    /** The capacity of the pipe behind {@code fd}, in bytes. */
    public static int get(int fd) throws SystemCallException {
        return (int) SystemCall.call("fcntl(fd " + fd + ", F_GETPIPE_SZ)", FCNTL, fd, F_GETPIPE_SZ, 0);
    }

    private static int systemMaximum() {
        try {
            // read by lines: Files.readString trusts the size procfs reports (0) and gets a cut value
            return Integer.parseInt(Files.readAllLines(MAX_SIZE).getFirst().strip());
        } catch (IOException | RuntimeException e) {
            return 1 << 20;
        }
    }
}
