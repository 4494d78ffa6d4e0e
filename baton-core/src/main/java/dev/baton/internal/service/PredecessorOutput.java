package dev.baton.internal.service;

import dev.baton.internal.os.Exec;
import dev.baton.internal.os.StandardOutput;
import dev.baton.internal.os.SystemCallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a successor's standard output and error go when its predecessor died before the handover. Until
 * the handover they are pipes the predecessor relays; a predecessor that dies before it hands over its own
 * streams leaves them without a reader. So the predecessor names its own stdout and stderr at launch (what
 * {@code /proc/self/fd/1} and {@code 2} point to: a terminal, a log file), and the orphaned successor
 * reopens those for appending. A name that cannot be reopened (a pipe, a socket such as systemd's journal
 * stream, a deleted file) sends the stream to {@code /dev/null}: nothing written there fails, but it is
 * lost; under systemd the service's restart policy applies once the successor exits.
 */
public final class PredecessorOutput {

    private PredecessorOutput() {}

    /**
     * What this process's output descriptor {@code fd} refers to, as {@code /proc/self/fd} shows it, for an
     * orphaned successor to reopen; {@code read-only PATH} if this process did not open it for writing (a
     * JVM started with it closed puts the first file it reads there), which no successor reopens.
     */
    public static String nameOf(int fd) {
        String name = describe(fd);
        return name.startsWith("/") && !WritableDescriptor.isOpenForWriting("self", fd) ? READ_ONLY + name : name;
    }

    private static final String READ_ONLY = "read-only ";

    /** A regular file (a log) or a character device (a terminal, /dev/null): what output may be reopened onto. */
    private static boolean isFileOrTerminal(String path) {
        try {
            int type = (Integer) Files.getAttribute(Path.of(path), "unix:mode") & S_IFMT;
            return type == S_IFREG || type == S_IFCHR;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFCHR = 0020000;

    private static String describe(int fd) {
        try {
            return Exec.describeDescriptor(fd);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Moves this process's stdout and stderr, where they are pipes and the predecessor named its own (null:
     * not named), onto those (or {@code /dev/null}); returns what moved where, for the log line that follows.
     */
    public static List<String> adopt(String stdoutName, String stderrName) {
        System.out.flush();
        System.err.flush();
        List<String> moved = new ArrayList<>();
        String[] names = {stdoutName, stderrName};
        for (int fd = 1; fd <= 2; fd++) {
            String name = names[fd - 1];
            if (name == null || !describe(fd).startsWith("pipe:")) {
                continue; // not named by a predecessor (not launched by one), or not the relay's pipe
            }
            boolean reopenable = name.startsWith("/") && !name.endsWith(" (deleted)") && isFileOrTerminal(name);
            String stream = fd == 1 ? "stdout" : "stderr";
            try {
                int target = -1;
                if (reopenable) {
                    try {
                        target = StandardOutput.openForAppend(name);
                    } catch (SystemCallException e) {
                        moved.add(stream + " to /dev/null (" + name + ": " + e.getMessage() + ")");
                    }
                } else {
                    moved.add(stream + " to /dev/null (the predecessor's was " + (name.isEmpty() ? "not visible" : name)
                            + ", which cannot be reopened)");
                }
                if (target >= 0) {
                    moved.add(stream + " to " + name);
                } else {
                    target = StandardOutput.openNullDevice();
                }
                StandardOutput.moveOnto(target, fd);
            } catch (SystemCallException e) {
                moved.add(stream + " left on the dead pipe (" + e.getMessage() + ")");
            }
        }
        return moved;
    }
}
