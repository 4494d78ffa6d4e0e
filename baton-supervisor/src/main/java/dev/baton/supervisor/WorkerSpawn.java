package dev.baton.supervisor;

import dev.baton.internal.os.ChildProcesses;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Errno;
import dev.baton.internal.os.PipeSize;
import dev.baton.internal.os.Pipes;
import dev.baton.internal.os.Processes;
import dev.baton.internal.os.Spawn;
import dev.baton.internal.os.SystemCallException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a worker's process is started: the listeners at descriptors 3, 4, ... through {@link Spawn}, its
 * standard output and error on pipes the supervisor relays, its notify socket bound first, a pidfd on it.
 *
 * <p>The command runs under {@code /bin/sh -c 'LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@"'}:
 * posix_spawn cannot know the child's pid in advance, and the shell's {@code exec} keeps the pid, so
 * {@code LISTEN_PID} names the worker itself, exactly as systemd sets it. A command that cannot be
 * run makes the shell exit with 127 (not found) or 126 (not executable).
 */
final class WorkerSpawn {

    /** What a started worker consists of; the caller owns the pidfd, output relays and notify socket. */
    record Spawned(long pid, long startedEpochMillis, int pidfd, WorkerOutput output, NotifySocket notifySocket) {}

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");
    private static final String SHELL = "/bin/sh";
    private static final String SET_LISTEN_PID = "LISTEN_PID=$$; export LISTEN_PID; exec \"$0\" \"$@\"";

    private WorkerSpawn() {}

    /**
     * Starts worker {@code generation}.
     *
     * @param environment the worker's environment, to which LISTEN_FDS, LISTEN_FDNAMES and, with
     *     {@code notifyPath}, NOTIFY_SOCKET are added
     * @param notifyPath where to bind the worker's notify socket, or null
     * @param notified receives the lines of each notify datagram
     * @throws IOException if it could not be started, naming the call that failed
     */
    static Spawned start(int generation, List<String> command, Map<String, String> environment,
            SupervisedListeners listeners, Path notifyPath, Consumer<List<String>> notified, PrintStream out,
            PrintStream err, String logPrefix) throws IOException {
        List<String> env = new ArrayList<>();
        environment.forEach((key, value) -> env.add(key + "=" + value));
        int[] listenerFds = listeners.descriptors();
        env.add("LISTEN_FDS=" + listenerFds.length);
        env.add("LISTEN_FDNAMES=" + listeners.names());
        NotifySocket notify = null;
        if (notifyPath != null) {
            notify = NotifySocket.open(notifyPath, logPrefix, notified);
            env.add("NOTIFY_SOCKET=" + notifyPath);
        }
        List<String> argv = new ArrayList<>(List.of(SHELL, "-c", SET_LISTEN_PID));
        argv.addAll(command);
        int[] stdout = null;
        int[] stderr = null;
        long pid;
        long startedEpochMillis;
        try {
            stdout = Pipes.newPipe();
            stderr = Pipes.newPipe();
            enlarge(stdout[0], generation, logPrefix);
            enlarge(stderr[0], generation, logPrefix);
            int[] childFds = new int[3 + listenerFds.length];
            childFds[0] = Spawn.NULL_DEVICE;
            childFds[1] = stdout[1];
            childFds[2] = stderr[1];
            System.arraycopy(listenerFds, 0, childFds, 3, listenerFds.length);
            pid = Spawn.spawn(SHELL, argv, env, childFds);
            startedEpochMillis = System.currentTimeMillis();
        } catch (IOException e) {
            closeAll(stdout);
            closeAll(stderr);
            if (notify != null) {
                notify.close();
            }
            throw new IOException("cannot start worker " + generation + " (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
        Descriptors.closeQuietly(stdout[1]);
        Descriptors.closeQuietly(stderr[1]);
        WorkerOutput output = new WorkerOutput("[worker " + generation + " pid " + pid + "] ", stdout[0], stderr[0],
                out, err);
        int pidfd;
        try {
            pidfd = ChildProcesses.openPidfd(pid);
        } catch (SystemCallException e) {
            killGroup(pid);
            throw new IOException("started worker " + generation + " as pid " + pid + " but cannot watch it ("
                    + e.getMessage() + "); killed it", e);
        }
        return new Spawned(pid, startedEpochMillis, pidfd, output, notify);
    }

    /**
     * Gives an output pipe {@value Worker#PIPE_BYTES} bytes instead of the kernel's 64 KiB, so a worker that
     * logs a burst while the supervisor is slow or stopped (SIGSTOP, a debugger) is not blocked at once;
     * where the kernel refuses (a lower {@code pipe-max-size}, the user's pipe budget spent), 64 KiB stays.
     */
    private static void enlarge(int pipe, int generation, String logPrefix) {
        try {
            PipeSize.raise(pipe, Worker.PIPE_BYTES);
        } catch (SystemCallException e) {
            LOG.log(Level.DEBUG, () -> logPrefix + "worker " + generation + "'s output pipe stays at its default "
                    + "size: " + e.getMessage());
        }
    }

    /** SIGKILL to the group of a worker that is not watched (not reaped yet, so its pid is not reused). */
    private static void killGroup(long pid) {
        try {
            Processes.kill(-pid, Processes.SIGKILL);
        } catch (SystemCallException e) {
            if (e.errno() != Errno.ESRCH) {
                LOG.log(Level.WARNING, "cannot signal the process group of pid " + pid + ": " + e.getMessage());
            }
        }
    }

    static void closeAll(int[] fds) {
        if (fds != null) {
            for (int fd : fds) {
                if (fd >= 0) {
                    Descriptors.closeQuietly(fd);
                }
            }
        }
    }
}
