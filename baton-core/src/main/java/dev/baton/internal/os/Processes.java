package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/** Process calls: the parent's pid (which {@code ProcessHandle} reports lazily) and signals. */
public final class Processes {

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGKILL = 9;
    public static final int SIGUSR2 = 12;
    public static final int SIGTERM = 15;

    private static final MethodHandle GETPPID = LibC.infallibleFunction("getppid", FunctionDescriptor.of(INT));
    private static final MethodHandle GETUID = LibC.infallibleFunction("getuid", FunctionDescriptor.of(INT));
    private static final MethodHandle KILL = LibC.function("kill", FunctionDescriptor.of(INT, INT, INT));

    private Processes() {}

    /** The pid of this process's parent right now (it changes when the parent exits). */
    public static long parentPid() {
        try {
            return (int) GETPPID.invokeExact();
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    /** The real user id of this process. */
    public static int userId() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    /** Sends {@code signal} to process {@code pid}. */
    public static void kill(long pid, int signal) throws SystemCallException {
        SystemCall.call("kill(pid " + pid + ", " + signal + ")", KILL, (int) pid, signal);
    }
}
