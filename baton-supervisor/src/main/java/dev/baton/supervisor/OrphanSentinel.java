package dev.baton.supervisor;

import dev.baton.internal.os.ChildProcesses;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Pipes;
import dev.baton.internal.os.Spawn;
import dev.baton.internal.os.SystemCallException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Ends the workers of a supervisor that died (SIGKILL, a crash, the OOM killer), whatever they are
 * written in: a Baton worker watches its supervisor itself, a third-party one (python, a shell script, a
 * Go binary) would serve on as an orphan, holding the port the restarted supervisor needs.
 *
 * <p>{@code PR_SET_PDEATHSIG} cannot do it: posix_spawn has no such attribute, and a wrapper that sets it
 * ({@code setpriv --pdeathsig}) ties the worker to the <em>thread</em> that spawned it, so the exit of that
 * thread, or the {@code execve} of an upgrade in place (which ends every other thread), would stop the
 * workers. Instead a tiny detached shell, started once per program image, reads a pipe whose only writer
 * is this supervisor: {@code + PID} when a worker starts or is re-attached, {@code - PID} when it exits. At
 * end of file, if the supervisor is dead (gone or a zombie), it sends SIGTERM to every worker still
 * listed, one line each on the supervisor's stderr; if the supervisor lives, the end of file was its
 * {@code execve} (the write end is close-on-exec) and the new image's own sentinel took over, so it exits.
 * It ignores SIGHUP, SIGINT, SIGQUIT and SIGTERM and runs in a process group of its own, so a Ctrl-C or a
 * group signal for the supervisor does not end it; a SIGKILL sent to it alone does (the workers are then
 * unwatched until the next start).
 *
 * <p>A worker whose pid was reaped and reused in the instant between the supervisor's death and the
 * sentinel reading {@code - PID} could be sent a SIGTERM meant for it: the window is the pipe's latency.
 *
 * <p>Concurrency: {@link #watch} and {@link #forget} may run on any thread; the monitor guards the pipe.
 */
final class OrphanSentinel {

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");
    static final String SCRIPT = """
            exec 3<&0 </dev/null
            (
            trap '' HUP INT QUIT TERM PIPE
            alive() { s=$(cat /proc/$1/stat 2>/dev/null) || return 1; s=${s##*) }; case $s in Z*|X*) return 1;; esac; }
            live=' '
            while read -r op pid <&3; do
              case $op in
                +) live="$live$pid " ;;
                -) rest=' '; for p in $live; do [ "$p" = "$pid" ] || rest="$rest$p "; done; live=$rest ;;
              esac
            done
            if alive "$1"; then exit 0; fi
            for p in $live; do
              echo "[baton sentinel] the supervisor pid $1 died: SIGTERM to worker pid $p so that it drains and exits" >&2
              kill -TERM "$p" 2>/dev/null
            done
            ) &
            """;

    private final OutputStream pipe;
    private final String logPrefix;
    private boolean broken;

    private OrphanSentinel(OutputStream pipe, String logPrefix) {
        this.pipe = pipe;
        this.logPrefix = logPrefix;
    }

    /**
     * Starts the sentinel of the supervisor {@code supervisorPid}; its lines go to this process's stderr. The
     * direct child, a shell that forks the sentinel and exits at once, is reaped here; the write end of the
     * pipe is reopened as a Java stream ({@code /proc/self/fd/N} of a pipe opens that pipe).
     */
    static OrphanSentinel start(long supervisorPid, String logPrefix) throws IOException {
        int[] pipe = Pipes.newPipe();
        OutputStream writer;
        try {
            writer = new FileOutputStream("/proc/self/fd/" + pipe[1]);
        } finally {
            Descriptors.closeQuietly(pipe[1]);
        }
        try {
            long shell = Spawn.spawn("/bin/sh", List.of("/bin/sh", "-c", SCRIPT, "baton-sentinel",
                    Long.toString(supervisorPid)), List.of("PATH=/usr/bin:/bin"), new int[] {pipe[0], 2, 2});
            reap(shell);
        } catch (IOException e) {
            writer.close();
            throw e;
        } finally {
            Descriptors.closeQuietly(pipe[0]);
        }
        return new OrphanSentinel(writer, logPrefix);
    }

    /** Reaps the shell that forked the sentinel, which exits at once (waits at most 10 s). */
    private static void reap(long shell) throws SystemCallException {
        int pidfd = ChildProcesses.openPidfd(shell);
        try {
            Descriptors.awaitReadable(new int[] {pidfd}, Duration.ofSeconds(10));
            ChildProcesses.reap(pidfd);
        } finally {
            Descriptors.closeQuietly(pidfd);
        }
    }

    /** Lists {@code worker} until it exits. */
    void watch(Worker worker) {
        send("+ " + worker.pid());
        worker.exit.whenComplete((status, failure) -> send("- " + worker.pid()));
    }

    private synchronized void send(String line) {
        if (broken) {
            return;
        }
        try {
            pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
        } catch (IOException e) {
            broken = true;
            LOG.log(Level.WARNING, logPrefix + "the orphan sentinel is gone (" + e.getMessage() + "): if this "
                    + "supervisor dies, workers that do not watch it themselves serve on as orphans");
        }
    }
}
