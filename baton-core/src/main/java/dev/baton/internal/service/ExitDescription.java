package dev.baton.internal.service;

/**
 * The one wording of how a process ended, for both modes' logs and reports: {@code "exited with status 2"},
 * {@code "was killed by signal 9 (SIGKILL)"}.
 *
 * <p>A process that exits with status 143 after SIGTERM (as a JVM does, having run its shutdown hooks)
 * exited; it was not killed by the signal. Only {@code waitid} tells the two apart; the JDK's
 * {@link Process#exitValue()} reports a child killed by signal N as 128 + N, so a status from it is worded
 * as a status, with the signal it may stand for named beside it.
 */
public final class ExitDescription {

    private static final int SIGNAL_BASE = 128;
    private static final int MAX_SIGNAL = 64;

    private ExitDescription() {}

    /** A process that called {@code exit(code)}. */
    public static String exited(int code) {
        return "exited with status " + code + switch (code) {
            case 126 -> " (the command was found but could not be executed)";
            case 127 -> " (command not found)";
            default -> "";
        };
    }

    /** A process that signal {@code signal} ended. */
    public static String killed(int signal) {
        String name = signalName(signal);
        return "was killed by signal " + signal + (name.isEmpty() ? "" : " (" + name + ")");
    }

    /** As {@code waitid} reports an end: {@code signal} 0 means it exited with {@code code}. */
    public static String of(int code, int signal) {
        return signal != 0 ? killed(signal) : exited(code);
    }

    /**
     * As the JDK reports an end ({@link Process#exitValue()}), where 128 + N may be an exit with that status
     * or the signal N: {@code "exited with status 137 (128 + 9, SIGKILL)"}.
     */
    public static String ofExitValue(int value) {
        int signal = value - SIGNAL_BASE;
        if (signal > 0 && signal <= MAX_SIGNAL) {
            String name = signalName(signal);
            return "exited with status " + value + " (128 + " + signal + (name.isEmpty() ? "" : ", " + name) + ")";
        }
        return exited(value);
    }

    /** The usual name of signal {@code signal} on Linux x86-64 and arm64, or empty if it has none here. */
    public static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 10 -> "SIGUSR1";
            case 11 -> "SIGSEGV";
            case 12 -> "SIGUSR2";
            case 13 -> "SIGPIPE";
            case 14 -> "SIGALRM";
            case 15 -> "SIGTERM";
            default -> "";
        };
    }
}
