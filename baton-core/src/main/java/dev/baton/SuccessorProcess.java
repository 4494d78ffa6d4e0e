package dev.baton;

import dev.baton.internal.os.ChildProcesses;
import dev.baton.internal.os.ChildProcesses.ExitStatus;
import dev.baton.internal.os.CpuPriority;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Errno;
import dev.baton.internal.os.ExecutableSearch;
import dev.baton.internal.os.Pipes;
import dev.baton.internal.os.Processes;
import dev.baton.internal.os.Spawn;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.service.DescriptorUsage;
import dev.baton.internal.service.ExitDescription;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A successor generation started by this one: the same command line run again, so a swapped jar or
 * a changed configuration is picked up. Its output is relayed through this process until it is
 * ready; its last lines are kept for the report if it fails.
 *
 * <p>Started with {@link Spawn} rather than {@code ProcessBuilder}, which closes every descriptor above 2
 * in the child: the successor gets this generation's listeners at descriptors 3, 4, ... from its first
 * instruction ({@link HandedListeners}), so that if this process dies before the handover, the sockets
 * live on in the successor and connections wait in their queues instead of being refused. It stays in
 * this process's group, as a {@code ProcessBuilder} child does, so a terminal's Ctrl-C reaches it too.
 *
 * <p>Concurrency: the monitor guards {@code exited}, so that no signal is sent once the child is reaped
 * and its pid may be reused; a daemon thread waits on its pidfd and reaps it.
 */
final class SuccessorProcess implements Successor {

    private static final Logger LOG = System.getLogger(SuccessorProcess.class.getName());

    private final long pid;
    private final int pidfd;
    /** What {@link #exit} holds when the child's end could not be read. */
    private static final ExitStatus UNKNOWN = new ExitStatus(-1, 0);

    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final SuccessorOutput output;
    private boolean exited;

    private SuccessorProcess(long pid, int pidfd, int stdout, int stderr) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.output = new SuccessorOutput(new PipeInput(stdout), new PipeInput(stderr));
        Thread.ofPlatform().daemon().name("baton-successor-exit").start(this::awaitExit);
    }

    /**
     * Links the C functions a {@link #start} calls, ahead of the first: the initialisers of their classes do
     * it, a few milliseconds each in a JVM that has not run them, which a reload would otherwise wait for.
     */
    static void link() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Class<?> linking : List.of(Pipes.class, Spawn.class, ChildProcesses.class, CpuPriority.class,
                Descriptors.class, Processes.class)) {
            try {
                lookup.ensureInitialized(linking);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e); // public classes of this module
            }
        }
    }

    /**
     * Starts {@code command} with this process's environment, less {@code remove}, plus {@code add}, and
     * {@code listeners} at its descriptors 3, 4, ... in that order.
     *
     * @throws IOException if it cannot be started at all (a missing executable, for instance)
     */
    static SuccessorProcess start(List<String> command, Map<String, String> add, List<String> remove,
            int[] listeners) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>(System.getenv());
        remove.forEach(variables::remove);
        variables.putAll(add);
        List<String> environment = new ArrayList<>();
        variables.forEach((name, value) -> environment.add(name + "=" + value));
        String executable = executable(command.getFirst(), variables.get("PATH"));
        boolean stdinShared = SuccessorStdin.shareable(); // before the pipes, which may take a free descriptor 0
        int[] stdout = null;
        int[] stderr = null;
        long pid;
        try {
            stdout = Pipes.newPipe();
            stderr = Pipes.newPipe();
            int[] fds = new int[3 + listeners.length];
            fds[0] = stdinShared ? 0 : Spawn.NULL_DEVICE; // a daemon may run with its stdin closed
            fds[1] = stdout[1];
            fds[2] = stderr[1];
            System.arraycopy(listeners, 0, fds, 3, listeners.length);
            Callable<Long> spawn = () -> Spawn.spawn(executable, command, environment, fds, Spawn.Mode.ATTACHED);
            int nice = StartPriority.startingNice(add);
            pid = nice < 0 ? spawn.call() : CpuPriority.spawnAt(nice, spawn);
        } catch (Exception e) {
            closeAll(stdout);
            closeAll(stderr);
            throw startFailure(executable, e);
        } catch (Error e) {
            closeAll(stdout);
            closeAll(stderr);
            throw e;
        }
        Descriptors.closeQuietly(stdout[1]);
        Descriptors.closeQuietly(stderr[1]);
        int pidfd;
        try {
            pidfd = ChildProcesses.openPidfd(pid);
        } catch (SystemCallException e) {
            killAndReap(pid);
            closeAll(new int[] {stdout[0], stderr[0]});
            throw startFailure("started the successor as pid " + pid + " but cannot watch it, so killed it", e);
        }
        try {
            return new SuccessorProcess(pid, pidfd, stdout[0], stderr[0]);
        } catch (OutOfMemoryError | RuntimeException e) { // "unable to create native thread"
            killAndReap(pid); // its end closes the pipes: a relay that started ends and closes its read end
            Descriptors.closeQuietly(pidfd);
            throw UnwatchedSuccessor.killed(pid, e);
        }
    }

    /** The file to run for {@code name}: itself if it has a slash, else the first match on {@code path}. */
    static String executable(String name, String path) throws IOException {
        return ExecutableSearch.find(name, path).map(Path::toString).orElseThrow(() -> new IOException("'" + name
                + "' is not an executable file in any directory of the PATH (" + ExecutableSearch.searched(path) + ")"));
    }

    private static IOException startFailure(String what, Exception e) {
        Optional<IOException> exhausted = e instanceof IOException failure ? DescriptorUsage.explained(failure)
                : Optional.empty();
        return exhausted.orElseGet(() -> new IOException(what + ": " + e.getMessage(), e));
    }

    /**
     * Waits on the pidfd, then reaps the child under the monitor (so that {@link #send} never signals a reaped
     * pid). Whatever fails, {@link #exit} completes and the pidfd is closed: a caller of {@link #stop} must
     * never wait for ever.
     */
    private void awaitExit() {
        ExitStatus status = UNKNOWN;
        try {
            while (true) {
                Descriptors.awaitReadable(new int[] {pidfd}, Duration.ofHours(1));
                Optional<ExitStatus> reaped;
                synchronized (this) {
                    reaped = ChildProcesses.reap(pidfd);
                    exited = reaped.isPresent();
                }
                if (reaped.isPresent()) {
                    status = reaped.get();
                    break;
                }
            }
        } catch (SystemCallException e) {
            // ECHILD: something else reaped it (SIGCHLD ignored makes the kernel do so); its status is lost
            LOG.log(Level.WARNING, "cannot wait for successor pid " + pid + ": " + e.getMessage());
            synchronized (this) {
                exited = true;
            }
        } finally {
            Descriptors.closeQuietly(pidfd);
            exit.complete(status);
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    /**
     * Stops the successor: SIGTERM, then SIGKILL if it has not exited within {@code grace}; returns once
     * it has exited and been reaped.
     */
    @Override
    public void stop(Duration grace, String logPrefix) {
        if (!isAlive()) {
            return;
        }
        send(Processes.SIGTERM);
        try {
            exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, logPrefix + "successor pid " + pid + " did not exit within " + grace.toSeconds()
                    + "s of SIGTERM; sending SIGKILL");
            send(Processes.SIGKILL);
            try {
                exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | InterruptedException | ExecutionException stillThere) {
                LOG.log(Level.WARNING, logPrefix + "successor pid " + pid + " has not been reaped "
                        + grace.toSeconds() + "s after SIGKILL; going on without it");
                if (stillThere instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (InterruptedException e) {
            send(Processes.SIGKILL);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
    }

    @Override
    public synchronized int setPriority(int nice) throws IOException {
        return exited ? 0 : CpuPriority.setAllThreads(pid, nice); // under the monitor: not reaped meanwhile
    }

    private synchronized void send(int signal) {
        if (exited) {
            return;
        }
        try {
            Processes.kill(pid, signal);
        } catch (SystemCallException e) {
            if (e.errno() != Errno.ESRCH) {
                LOG.log(Level.WARNING, "cannot signal successor pid " + pid + ": " + e.getMessage());
            }
        }
    }

    @Override
    public boolean exitedCleanly() {
        ExitStatus status = exit.getNow(null);
        return status != null && status.signal() == 0 && status.code() == 0;
    }

    /** How it exited: with a status, or killed by a signal (the kernel tells the two apart). */
    @Override
    public String exitDescription() {
        ExitStatus status = exit.getNow(null);
        if (status == null) {
            return "is still running";
        }
        return status == UNKNOWN ? "ended, how is unknown (its exit status could not be read)"
                : ExitDescription.of(status.code(), status.signal());
    }

    @Override
    public List<String> lastLines() {
        return output.lastLines();
    }

    /** SIGKILL to a child nobody watches, then reaps it (not reaped before, so the pid is still its own). */
    private static void killAndReap(long pid) {
        try {
            Processes.kill(pid, Processes.SIGKILL);
            ChildProcesses.awaitAndReap(pid);
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, "cannot kill and reap successor pid " + pid + ": " + e.getMessage());
        }
    }

    private static void closeAll(int[] fds) {
        if (fds != null) {
            for (int fd : fds) {
                Descriptors.closeQuietly(fd);
            }
        }
    }

    /** The read end of a pipe as a stream; closing it closes the descriptor. */
    private static final class PipeInput extends InputStream {
        private final int fd;
        private boolean closed;

        PipeInput(int fd) {
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            byte[] chunk = offset == 0 && length == buffer.length ? buffer : new byte[length];
            int read = Pipes.read(fd, chunk);
            if (read == 0) {
                return -1;
            }
            if (chunk != buffer) {
                System.arraycopy(chunk, 0, buffer, offset, read);
            }
            return read;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                Descriptors.closeQuietly(fd);
            }
        }
    }
}
