package dev.baton.internal.service;

import dev.baton.internal.os.ChildProcesses;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.SystemCallException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A supervised worker's watch on its supervisor: a pidfd on the supervisor's pid turns readable when it
 * exits. A worker whose supervisor died (SIGKILL, a crash, the OOM killer) would otherwise serve on as an
 * orphan, holding the listeners its restarted supervisor needs; so it stops as on SIGTERM (drains, then
 * the application exits), and the process manager's restart of the supervisor takes over the port.
 *
 * <p>The worker's output is a pipe the supervisor read: once the supervisor is gone a write to it fails
 * with EPIPE (the JVM catches SIGPIPE, so the process lives, and {@code System.out} swallows the error,
 * but other writers throw). Standard output and error move first where the supervisor's own went
 * ({@link SupervisorStreams}), then the death is logged, so the line and the drain's reach the operator
 * and no later write of a request thread can fail.
 *
 * <p>Concurrency: one daemon platform thread ({@code baton-supervisor-watch}) waits in {@code poll} for the
 * life of the process; the stop it calls returns at once by contract.
 */
public final class SupervisorWatch {

    private static final Logger LOG = System.getLogger("dev.baton");
    private static final Duration FOREVER = Duration.ofMillis(Integer.MAX_VALUE);

    /** The trigger of the stop this watch calls. */
    public static final String TRIGGER = "the supervisor's death";

    private final long pid;
    private final AtomicBoolean deathStopTaken = new AtomicBoolean();

    private SupervisorWatch(long pid) {
        this.pid = pid;
    }

    /**
     * Whether a stop with {@code trigger} should go ahead: every stop while the supervisor lives, and only the
     * first of those its death brings (this watch's, and the SIGTERM its sentinel sends a worker): a second
     * would hammer the drain the first began.
     */
    public boolean admitsStop(String trigger) {
        boolean afterDeath = trigger.equals(TRIGGER) || supervisorGone();
        return !afterDeath || deathStopTaken.compareAndSet(false, true);
    }

    /** Whether the supervisor has exited: no such process, or a zombie. */
    private boolean supervisorGone() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * Watches the supervisor {@code supervisorPid}; calls {@code stop} with {@link #TRIGGER} once it is gone
     * (at once, if it is gone already). Returns the watch, or null if it cannot watch (logged).
     */
    public static SupervisorWatch start(String supervisorPid, String logPrefix, Consumer<String> stop) {
        long pid;
        try {
            pid = Long.parseLong(supervisorPid.strip());
        } catch (NumberFormatException e) {
            LOG.log(Level.WARNING, logPrefix + "the supervisor's pid '" + supervisorPid + "' (BATON_SUPERVISOR_PID) "
                    + "is not a number: this worker does not notice the supervisor's death");
            return null;
        }
        int pidfd;
        try {
            pidfd = ChildProcesses.openPidfd(pid);
        } catch (SystemCallException.NoSuchProcess gone) {
            pidfd = -1; // died before this worker looked
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot watch the supervisor pid " + pid + " (" + e.getMessage()
                    + "): this worker does not notice the supervisor's death");
            return null;
        }
        int watched = pidfd;
        SupervisorStreams streams = SupervisorStreams.capture(pid, logPrefix);
        Thread.ofPlatform().daemon().name("baton-supervisor-watch").start(() -> {
            if (watched >= 0 && !awaitExit(watched, pid, logPrefix)) {
                return;
            }
            List<String> moved = streams.moveStandardOutput(logPrefix);
            LOG.log(Level.WARNING, logPrefix + "the supervisor pid " + pid + " died: draining and exiting; the "
                    + "process manager restarts the service" + (moved.isEmpty() ? "" : " (output moved off its pipes: "
                    + String.join(", ", moved) + ")"));
            stop.accept(TRIGGER);
        });
        return new SupervisorWatch(pid);
    }

    private static boolean awaitExit(int pidfd, long pid, String logPrefix) {
        try {
            while (Descriptors.awaitReadable(new int[] {pidfd}, FOREVER) != 0) {
                // timed out after ~24 days: wait on
            }
            return true;
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, logPrefix + "no longer watching the supervisor pid " + pid + ": " + e.getMessage());
            return false;
        } finally {
            Descriptors.closeQuietly(pidfd);
        }
    }
}
