package dev.baton.internal.service;

import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Errno;
import dev.baton.internal.os.Exec;
import dev.baton.internal.os.Pipes;
import dev.baton.internal.os.StandardOutput;
import dev.baton.internal.os.SystemCallException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a supervised worker's standard output and error go once its supervisor is dead. While the
 * supervisor lives, they are pipes it relays into its own stdout and stderr; at its death those pipes
 * lose their reader. So, at start, the worker
 * <ul>
 *   <li>opens a read end of each of its own output pipes and holds it: the pipe never breaks, so a write
 *       made between the death and the worker noticing it neither fails (EPIPE) nor is lost;
 *   <li>opens what the supervisor's own descriptors 1 and 2 refer to ({@code /proc/PID/fd/N}: its
 *       terminal, its log file, the pipe it writes into);
 * </ul>
 * and at the death moves its output there, after copying what the pipe still holds: the operator reads
 * the worker's last lines where the supervisor's were.
 *
 * <p>A stream the worker's command redirected itself (not a pipe) is left alone. Where the supervisor's
 * stream cannot be reopened (a socket, such as systemd's journal stream, cannot be opened through
 * {@code /proc}), the worker's stream moves onto {@code /dev/null}: no write ever fails, but what is
 * written is lost. Under systemd the unit's stop of its remaining processes ({@code KillMode=control-group})
 * ends the worker in any case.
 */
final class SupervisorStreams {

    private static final Logger LOG = System.getLogger("dev.baton");
    private static final int NONE = -1;

    private final boolean[] move = new boolean[2]; // for descriptors 1 and 2
    private final int[] targets = {NONE, NONE}; // an open descriptor, or NONE for /dev/null
    private final int[] readEnds = {NONE, NONE};
    private final String[] names = {"/dev/null", "/dev/null"};

    private SupervisorStreams() {}

    /** Prepares the move of this worker's streams that are pipes, while the supervisor {@code pid} lives. */
    static SupervisorStreams capture(long pid, String logPrefix) {
        SupervisorStreams streams = new SupervisorStreams();
        for (int i = 0; i < 2; i++) {
            int fd = i + 1;
            if (!isPipe(fd)) {
                continue;
            }
            streams.move[i] = true;
            try {
                streams.readEnds[i] = StandardOutput.openReadEnd(fd);
            } catch (SystemCallException e) {
                LOG.log(Level.DEBUG, () -> logPrefix + "cannot hold a read end of descriptor " + fd + ": "
                        + e.getMessage());
            }
            String path = "/proc/" + pid + "/fd/" + fd;
            if (!WritableDescriptor.isOpenForWriting(Long.toString(pid), fd)) {
                LOG.log(Level.DEBUG, () -> logPrefix + "the supervisor's descriptor " + fd + " is not open for "
                        + "writing (it started with it closed): this worker's descriptor " + fd + " goes to /dev/null"
                        + " at its death");
                continue;
            }
            try {
                String name = Files.readSymbolicLink(Path.of(path)).toString();
                streams.targets[i] = StandardOutput.openForAppend(path);
                streams.names[i] = name;
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> logPrefix + "the supervisor's descriptor " + fd + " cannot be reopened ("
                        + e.getMessage() + "): this worker's descriptor " + fd + " goes to /dev/null at its death");
            }
        }
        return streams;
    }

    private static boolean isPipe(int fd) {
        try {
            return Exec.describeDescriptor(fd).startsWith("pipe:");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Moves this process's stdout and stderr onto the captured targets, then copies there what their pipes
     * still held; returns what they now are, for the log line that follows (empty if nothing moved).
     */
    List<String> moveStandardOutput(String logPrefix) {
        System.out.flush();
        System.err.flush();
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int fd = i + 1;
            if (!move[i]) {
                continue;
            }
            move[i] = false;
            try {
                StandardOutput.moveOnto(targets[i] != NONE ? targets[i] : StandardOutput.openNullDevice(), fd);
                moved.add((fd == 1 ? "stdout" : "stderr") + " to " + names[i]);
            } catch (SystemCallException e) {
                LOG.log(Level.WARNING, logPrefix + "cannot move descriptor " + fd + " off the dead supervisor's pipe: "
                        + e.getMessage());
            }
            if (readEnds[i] != NONE) {
                copyLeftOver(readEnds[i], fd == 1 ? FileDescriptor.out : FileDescriptor.err);
                Descriptors.closeQuietly(readEnds[i]);
            }
        }
        return moved;
    }

    /** Writes what is left unread in the pipe {@code readEnd} to {@code destination}. */
    private static void copyLeftOver(int readEnd, FileDescriptor destination) {
        FileOutputStream out = new FileOutputStream(destination);
        byte[] buffer = new byte[65536];
        try {
            for (int read; (read = Pipes.read(readEnd, buffer)) > 0; ) {
                out.write(buffer, 0, read);
            }
        } catch (SystemCallException e) {
            if (e.errno() != Errno.EAGAIN) {
                LOG.log(Level.DEBUG, () -> "reading what was left in an output pipe: " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "copying what was left in an output pipe: " + e.getMessage());
        }
    }
}
