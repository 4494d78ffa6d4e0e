package dev.baton.supervisor;

import dev.baton.internal.os.ChildProcesses;
import dev.baton.internal.os.ChildProcesses.ExitStatus;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Errno;
import dev.baton.internal.os.Exec;
import dev.baton.internal.os.ProcessGroups;
import dev.baton.internal.os.Processes;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.protocol.Message.ProcessInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One worker process: started by {@link WorkerSpawn} (or adopted after an upgrade in place), its output
 * relayed, its readiness and exit as futures, the signals the supervisor sends it.
 *
 * <p>Concurrency: the monitor guards {@code state}, {@code exited} and {@code killed}; a signal is only
 * sent while the worker has not been reaped, so a reused pid is never hit. {@link #reap()} runs on the
 * reaper thread. Lock order: {@link SupervisorMachine}'s monitor, then this one; nothing here calls
 * out while holding it ({@link #exit} completes after it is released).
 */
final class Worker {

    enum State { STARTING, SERVING, DRAINING, STOPPING, EXITED }

    /** The notify line by which a Baton worker asks to hear of a final stop before its SIGTERM. */
    static final String STOP_NOTICE_REQUEST = "X_BATON_STOP_NOTICE=SIGWINCH";

    /** SIGWINCH, the same number on x86-64 and aarch64; ignored by default, so harmless to a worker that races. */
    private static final int SIGWINCH = 28;

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");
    /** The capacity asked for each output pipe: 1 MiB, the default maximum for an unprivileged process. */
    static final int PIPE_BYTES = 1 << 20;

    final int generation;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final String logPrefix;
    private volatile long pid;
    private volatile long startedEpochMillis;
    private volatile long readyNanos;
    private volatile String statusText = "";
    /** Whether it asked for the final stop notice ({@value #STOP_NOTICE_REQUEST}): a Baton worker does. */
    private volatile boolean wantsStopNotice;
    private int pidfd = -1;
    private WorkerOutput output;
    private NotifySocket notify;
    private State state = State.STARTING;
    private boolean exited;
    private boolean killed;
    private volatile long drainDeadlineEpochMillis;

    /** A worker not started yet: no process, so no signal is ever sent for it (see {@link #start}). */
    Worker(int generation, String logPrefix) {
        this.generation = generation;
        this.logPrefix = logPrefix;
    }

    /**
     * Starts a worker of {@code generation}.
     *
     * @param environment the worker's environment, to which LISTEN_FDS, LISTEN_FDNAMES and, with
     *     {@code notifyPath}, NOTIFY_SOCKET are added
     * @param notifyPath where to bind the worker's notify socket, or null
     * @throws IOException if it could not be started, naming the call that failed
     */
    static Worker start(int generation, List<String> command, Map<String, String> environment,
            SupervisedListeners listeners, Path notifyPath, PrintStream out, PrintStream err, String logPrefix)
            throws IOException {
        Worker worker = new Worker(generation, logPrefix);
        WorkerSpawn.Spawned spawned = WorkerSpawn.start(generation, command, environment, listeners, notifyPath,
                worker::notified, out, err, logPrefix);
        worker.pid = spawned.pid();
        worker.startedEpochMillis = spawned.startedEpochMillis();
        worker.pidfd = spawned.pidfd();
        worker.output = spawned.output();
        worker.notify = spawned.notifySocket();
        return worker;
    }

    /**
     * Re-attaches a worker that a previous program image of this supervisor started, after its
     * {@code execve}: the worker is still this process's child (same pid), so a new pidfd watches it;
     * its output relays and notify socket resume on the carried descriptors, which this worker now owns.
     *
     * @throws IOException if its pid is not a child of this process (the carried state lies), or a
     *     carried descriptor is not what it should be; the caller closes the carried descriptors then
     */
    static Worker adopt(SupervisorState.CarriedWorker carried, PrintStream out, PrintStream err, String logPrefix)
            throws IOException {
        Worker worker = new Worker(carried.generation(), logPrefix);
        worker.pid = carried.pid();
        worker.startedEpochMillis = carried.startedEpochMillis();
        worker.readyNanos = System.nanoTime() - Duration.ofMillis(carried.servedMillis()).toNanos();
        worker.state = State.valueOf(carried.state().toUpperCase(Locale.ROOT));
        worker.killed = carried.killed();
        worker.drainDeadlineEpochMillis = carried.drainDeadlineEpochMillis();
        int pidfd = ChildProcesses.openPidfd(carried.pid());
        try {
            if (ChildProcesses.probe(pidfd) == ChildProcesses.Child.NOT_A_CHILD) {
                throw new IOException("pid " + carried.pid() + " is not a child of this supervisor");
            }
            for (int fd : new int[] {carried.stdoutFd(), carried.stderrFd()}) {
                if (fd >= 0) {
                    String what = Exec.describeDescriptor(fd);
                    if (!what.startsWith("pipe:")) {
                        throw new IOException("carried fd " + fd + " of " + worker.describe() + " is " + what
                                + ", not a pipe");
                    }
                    Descriptors.setCloseOnExec(fd, true);
                }
            }
            if (carried.notifyFd() >= 0) {
                worker.notify = NotifySocket.adopt(Path.of(carried.notifyPath()), carried.notifyFd(), logPrefix,
                        worker::notified);
            }
        } catch (IOException | RuntimeException e) {
            Descriptors.closeQuietly(pidfd);
            throw e;
        }
        worker.pidfd = pidfd;
        worker.output = new WorkerOutput("[worker " + worker.generation + " pid " + worker.pid + "] ",
                carried.stdoutFd(), carried.stderrFd(), out, err);
        worker.ready.complete(null);
        return worker;
    }

    /**
     * What an upgrade in place carries of this worker: its facts and duplicates of its output pipes
     * and notify socket (close-on-exec, owned by the caller; -1 where there is none). Call it while the
     * reaper is paused, so the pid stays this worker's.
     */
    synchronized SupervisorState.CarriedWorker carry() throws SystemCallException {
        int[] streams = output == null ? new int[] {-1, -1} : output.duplicateForCarry();
        int notifyFd;
        try {
            notifyFd = notify == null ? -1 : notify.duplicateForCarry();
        } catch (SystemCallException e) {
            WorkerSpawn.closeAll(streams);
            throw e;
        }
        return new SupervisorState.CarriedWorker(pid, generation, state.name().toLowerCase(Locale.ROOT),
                startedEpochMillis, servedFor().toMillis(), drainDeadlineEpochMillis, streams[0], streams[1],
                notifyFd, notifyFd < 0 ? null : notify.path().toString(), killed);
    }

    /** When a draining worker gets SIGKILL (epoch ms), or 0; carried across an upgrade in place. */
    long drainDeadlineEpochMillis() {
        return drainDeadlineEpochMillis;
    }

    void drainUntil(long epochMillis) {
        drainDeadlineEpochMillis = epochMillis;
    }

    private void notified(List<String> lines) {
        for (String line : lines) {
            if (line.equals("READY=1")) {
                if (ready.complete(null)) {
                    LOG.log(Level.DEBUG, () -> describe() + ": READY=1");
                }
            } else if (line.startsWith("STATUS=")) {
                String text = line.substring("STATUS=".length());
                if (!text.equals(statusText)) {
                    statusText = text;
                    LOG.log(Level.INFO, logPrefix + describe() + " status: " + text);
                }
            } else if (line.equals(STOP_NOTICE_REQUEST)) {
                wantsStopNotice = true;
            } else if (line.equals("STOPPING=1")) {
                LOG.log(Level.INFO, logPrefix + describe() + " says it is stopping");
            } else if (line.equals("RELOADING=1")) {
                LOG.log(Level.INFO, logPrefix + describe() + " says it is reloading");
            }
        }
    }

    long pid() {
        return pid;
    }

    int pidfd() {
        return pidfd;
    }

    long startedEpochMillis() {
        return startedEpochMillis;
    }

    /** The status text it last sent ({@code STATUS=}), or empty. */
    String statusText() {
        return statusText;
    }

    /** {@code "worker 2 (pid 4711)"}. */
    String describe() {
        return "worker " + generation + " (pid " + pid + ")";
    }

    synchronized State state() {
        return state;
    }

    /** Moves to {@code next} unless it has exited; returns whether it did. */
    synchronized boolean moveTo(State next) {
        if (exited) {
            return false;
        }
        if (next == State.SERVING) {
            readyNanos = System.nanoTime();
        }
        state = next;
        return true;
    }

    /** How long it has served, or zero if it never did. */
    Duration servedFor() {
        long since = readyNanos;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /**
     * Tells a worker that asked for it that a final stop began (SIGWINCH), so that it turns "not ready" while
     * it goes on serving until its SIGTERM; a SIGTERM without it is a reload's retirement. Returns whether
     * it was sent.
     */
    synchronized boolean noticeFinalStop() {
        if (!wantsStopNotice) {
            return false;
        }
        send(SIGWINCH, pid);
        return true;
    }

    /** Sends SIGTERM to the worker process (not to what it started: it stops those itself). */
    synchronized void terminate() {
        send(Processes.SIGTERM, pid);
    }

    /** Sends SIGKILL to the worker's whole process group, so nothing it started keeps a listener. */
    synchronized void kill() {
        killed = true;
        send(Processes.SIGKILL, -pid);
    }

    synchronized boolean wasKilled() {
        return killed;
    }

    private void send(int signal, long target) {
        if (exited || pid <= 0) { // never kill(0) or kill(-0): that would signal the supervisor's own group
            return;
        }
        try {
            Processes.kill(target, signal);
        } catch (SystemCallException e) {
            if (e.errno() != Errno.ESRCH) {
                LOG.log(Level.WARNING, logPrefix + "cannot signal " + describe() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Reaps the worker if it has exited: closes its pidfd and notify socket, completes {@link #exit}.
     * Called by the reaper thread only.
     *
     * @return whether it had exited
     */
    boolean reap() throws SystemCallException {
        Optional<ExitStatus> status;
        synchronized (this) {
            if (ChildProcesses.probe(pidfd) == ChildProcesses.Child.EXITED) {
                endOrphanedGroup();
            }
            status = ChildProcesses.reap(pidfd);
            if (status.isEmpty()) {
                return false;
            }
            exited = true;
            state = State.EXITED;
            Descriptors.closeQuietly(pidfd);
        }
        if (notify != null) {
            notify.close();
        }
        exit.complete(status.get());
        return true;
    }

    /**
     * Ends what the worker left in its process group when it exited (a child it forked that kept a
     * listener or its output pipes): SIGKILL to the group, sent while the exited worker is not reaped
     * yet, so its pid, which is the group's id, cannot have been reused. The worker, which would have
     * stopped them in its own order, is gone; left alone they would accept on the listeners for good.
     */
    private void endOrphanedGroup() {
        List<ProcessGroups.Member> left = ProcessGroups.othersIn(pid);
        if (left.isEmpty()) {
            return;
        }
        LOG.log(Level.WARNING, logPrefix + describe() + " exited and left " + left.size() + " processes in its "
                + "process group " + left + ": SIGKILL to the group, so none keeps a listener or its output");
        try {
            Processes.kill(-pid, Processes.SIGKILL);
        } catch (SystemCallException e) {
            if (e.errno() != Errno.ESRCH) {
                LOG.log(Level.WARNING, logPrefix + "cannot signal the process group of " + describe() + ": "
                        + e.getMessage());
            }
        }
    }

    /** Its last lines of output, waiting at most {@code wait} for the relays to read what it wrote. */
    List<String> lastLines(Duration wait) {
        return output == null ? List.of() : output.lastLines(wait);
    }

    ProcessInfo info() {
        return new ProcessInfo(pid, generation, state().name().toLowerCase(Locale.ROOT), startedEpochMillis);
    }
}
