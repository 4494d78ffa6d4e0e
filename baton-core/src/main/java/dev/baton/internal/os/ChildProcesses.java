package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Children started with {@link Spawn}, which the JDK's process reaper does not know: a pidfd per
 * child ({@code pidfd_open}, Linux 5.3), readable once the child has exited, and {@code waitid} on
 * that pidfd ({@code P_PIDFD}, Linux 5.4) to reap it. Waiting on a pidfd never reaps a child that
 * belongs to someone else in the JVM, as {@code waitpid(-1)} would.
 */
public final class ChildProcesses {

    private static final int P_PID = 1;
    private static final int P_PIDFD = 3;
    private static final int WEXITED = 4;
    private static final int WNOHANG = 1;
    private static final int WNOWAIT = 0x01000000;
    private static final int CLD_EXITED = 1;

    // siginfo_t on x86-64 and aarch64: 128 bytes; si_code at 8; for SIGCHLD, si_pid at 16, si_status at 24.
    private static final long SIGINFO_SIZE = 128;
    private static final long SI_CODE = 8;
    private static final long SI_PID = 16;
    private static final long SI_STATUS = 24;

    private static final MethodHandle PIDFD_OPEN = LibC.function("pidfd_open", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle WAITID =
            LibC.function("waitid", FunctionDescriptor.of(INT, INT, INT, POINTER, INT));

    /**
     * How a child ended; {@code dev.baton.internal.service.ExitDescription} words it for a person.
     *
     * @param code its exit status if it exited, else -1
     * @param signal the signal that killed it, else 0
     */
    public record ExitStatus(int code, int signal) {}

    /** What {@link #probe} found. */
    public enum Child { RUNNING, EXITED, NOT_A_CHILD }

    private ChildProcesses() {}

    /**
     * Whether the process behind {@code pidfd} is a child of this process (after an {@code execve}, the
     * children are still ours), and whether it has exited, without reaping it ({@code WNOWAIT}).
     */
    public static Child probe(int pidfd) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
            try {
                SystemCall.call("waitid(P_PIDFD, fd " + pidfd + ", WNOWAIT)", WAITID, P_PIDFD, pidfd, info,
                        WEXITED | WNOHANG | WNOWAIT);
            } catch (SystemCallException e) {
                if (e.errno() == Errno.ECHILD) {
                    return Child.NOT_A_CHILD;
                }
                throw e;
            }
            return info.get(INT, SI_PID) == 0 ? Child.RUNNING : Child.EXITED;
        }
    }

    /** A close-on-exec pidfd for child {@code pid}: readable when it has exited. The caller owns it. */
    public static int openPidfd(long pid) throws SystemCallException {
        return (int) SystemCall.call("pidfd_open(pid " + pid + ")", PIDFD_OPEN, (int) pid, 0);
    }

    /** Waits for child {@code pid} to exit and reaps it: for a child that has no pidfd (it could not be opened). */
    public static void awaitAndReap(long pid) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
            SystemCall.call("waitid(P_PID, pid " + pid + ")", WAITID, P_PID, (int) pid, info, WEXITED);
        }
    }

    /**
     * Reaps the child behind {@code pidfd} if it has exited; never blocks.
     *
     * @return how it ended, or empty if it still runs
     */
    public static Optional<ExitStatus> reap(int pidfd) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
            SystemCall.call("waitid(P_PIDFD, fd " + pidfd + ")", WAITID, P_PIDFD, pidfd, info, WEXITED | WNOHANG);
            if (info.get(INT, SI_PID) == 0) {
                return Optional.empty();
            }
            int status = info.get(INT, SI_STATUS);
            return Optional.of(info.get(INT, SI_CODE) == CLD_EXITED ? new ExitStatus(status, 0)
                    : new ExitStatus(-1, status));
        }
    }
}
