package dev.baton;

import java.io.IOException;

/**
 * How a launch words a successor it started and then killed because the threads that watch it (its exit, its
 * output) could not be started: a successor nobody watches would be a zombie, its upgrade stuck for good.
 */
final class UnwatchedSuccessor {

    private UnwatchedSuccessor() {}

    /** The failure of a launch whose successor, pid {@code pid}, was killed because starting a thread threw {@code cause}. */
    static IOException killed(long pid, Throwable cause) {
        return new IOException("started the successor as pid " + pid + " but cannot start the threads that watch it ("
                + cause.getMessage() + "), so killed it" + whatToDo(cause), cause);
    }

    private static String whatToDo(Throwable cause) {
        if (!(cause instanceof OutOfMemoryError)) {
            return "";
        }
        // The JDK's words when pthread_create fails (EAGAIN): a limit of threads, rarely memory itself.
        if (String.valueOf(cause.getMessage()).contains("unable to create native thread")) {
            return ": this process is at its limit of threads or processes (RLIMIT_NPROC, ulimit -u, or its cgroup's "
                    + "pids.max under systemd's TasksMax= or a container's --pids-limit); raise it, or end what holds "
                    + "them, then reload";
        }
        return ": this JVM is out of memory; raise its heap (-Xmx) or find what holds it, then reload";
    }
}
