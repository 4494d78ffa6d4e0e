package dev.baton.internal.service;

import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Exec;
import dev.baton.internal.os.StandardOutput;
import dev.baton.internal.os.SystemCallException;
import java.io.IOException;
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

    /** What this process's descriptor {@code fd} refers to, as {@code /proc/self/fd} shows it, or empty. */
    public static String nameOf(int fd) {
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
            if (name == null || !nameOf(fd).startsWith("pipe:")) {
                continue; // not named by a predecessor (not launched by one), or not the relay's pipe
            }
            boolean reopenable = name.startsWith("/") && !name.endsWith(" (deleted)");
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
                try {
                    Descriptors.duplicateOnto(target, fd);
                } finally {
                    Descriptors.closeQuietly(target);
                }
            } catch (SystemCallException e) {
                moved.add(stream + " left on the dead pipe (" + e.getMessage() + ")");
            }
        }
        return moved;
    }
}
