package dev.baton.internal.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's command line as {@code /proc/<pid>/cmdline} holds it: the arguments, argv[0] first, each
 * ended by a NUL byte. The one parser of that file, for the in-process mode (to run the successor) and
 * the supervisor (to re-execute itself).
 */
public final class CommandLine {

    private CommandLine() {}

    /** This process's command line. */
    public static List<String> ofThisProcess() throws IOException {
        return read(Path.of("/proc/self/cmdline"));
    }

    /** The command line of process {@code pid}. */
    public static List<String> ofProcess(long pid) throws IOException {
        return read(Path.of("/proc/" + pid + "/cmdline"));
    }

    private static List<String> read(Path file) throws IOException {
        List<String> arguments = parse(Files.readAllBytes(file));
        if (arguments.isEmpty()) {
            throw new IOException(file + " is empty: the process is a zombie or a kernel thread, and has no "
                    + "command line to run again");
        }
        return arguments;
    }

    /**
     * Splits {@code bytes} at each NUL byte into UTF-8 arguments. A last argument without its NUL (a
     * process that rewrote its own arguments) is kept; empty arguments between NULs are kept too.
     */
    public static List<String> parse(byte[] bytes) {
        List<String> arguments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                arguments.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            arguments.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        }
        return List.copyOf(arguments);
    }
}
