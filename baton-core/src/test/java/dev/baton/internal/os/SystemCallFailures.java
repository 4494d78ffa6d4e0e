package dev.baton.internal.os;

/** The exceptions a system call throws, for tests outside this package whose fakes must fail as it does. */
public final class SystemCallFailures {

    private SystemCallFailures() {}

    /** What {@code call} throws when the kernel answers EPERM. */
    public static SystemCallException notPermitted(String call) {
        return SystemCallException.of(call, Errno.EPERM);
    }
}
