package dev.baton.internal.os;

import java.io.IOException;

/**
 * A failed Linux system call: names the call, its subject and the errno, as in
 * {@code "sendmsg(fd 7) failed: EBADF (Bad file descriptor)"}.
 */
public final class SystemCallException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    SystemCallException(String call, int errno) {
        super(call + " failed: " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The call that failed, with its subject, for example {@code connect(/run/app.sock)}. */
    public String call() {
        return call;
    }

    /** The errno the call set. */
    public int errno() {
        return errno;
    }
}
