package dev.baton.internal.os;

import java.io.IOException;

/**
 * A failed Linux system call: names the call, its subject and the errno, as in
 * {@code "sendmsg(fd 7) failed: EBADF (Bad file descriptor)"}.
 *
 * <p>The errno values a caller acts on have a subclass each, chosen in one place ({@link #of}), so that
 * a caller catches what it means ({@link ConnectionRefused}, {@link PeerGone}) instead of switching on
 * numbers; every other errno is a plain {@code SystemCallException}. EAGAIN is no exception at all
 * where it only means "nothing yet" (see {@link Sockets#accept}).
 */
public sealed class SystemCallException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    SystemCallException(String call, int errno) {
        this(call, errno, call + " failed: " + Errno.describe(errno));
    }

    private SystemCallException(String call, int errno, String message) {
        super(message);
        this.call = call;
        this.errno = errno;
    }

    /** The exception for {@code call} failing with {@code errno}: the one mapping from errno to type. */
    static SystemCallException of(String call, int errno) {
        return switch (errno) {
            case Errno.ENOENT -> new NoSuchFile(call, errno);
            case Errno.EACCES, Errno.EPERM -> new AccessDenied(call, errno);
            case Errno.ECONNREFUSED -> new ConnectionRefused(call, errno);
            case Errno.EADDRINUSE -> new AddressInUse(call, errno);
            case Errno.EMFILE, Errno.ENFILE -> new TooManyOpenFiles(call, errno);
            case Errno.EPIPE, Errno.ECONNRESET -> new PeerGone(call, errno);
            case Errno.ESRCH -> new NoSuchProcess(call, errno);
            default -> new SystemCallException(call, errno);
        };
    }

    /** The call that failed, with its subject, for example {@code connect(/run/app.sock)}. */
    public String call() {
        return call;
    }

    /** The errno the call set. */
    public int errno() {
        return errno;
    }

    /** ENOENT: no such file or directory (a socket path, a program). */
    public static final class NoSuchFile extends SystemCallException {
        private static final long serialVersionUID = 1L;

        NoSuchFile(String call, int errno) {
            super(call, errno);
        }
    }

    /** EACCES or EPERM: this process may not do it. */
    public static final class AccessDenied extends SystemCallException {
        private static final long serialVersionUID = 1L;

        AccessDenied(String call, int errno) {
            super(call, errno);
        }
    }

    /** ECONNREFUSED: nothing listens at that address (a stale socket file, for a Unix socket). */
    public static final class ConnectionRefused extends SystemCallException {
        private static final long serialVersionUID = 1L;

        ConnectionRefused(String call, int errno) {
            super(call, errno);
        }
    }

    /** EADDRINUSE: another socket holds the address. */
    public static final class AddressInUse extends SystemCallException {
        private static final long serialVersionUID = 1L;

        AddressInUse(String call, int errno) {
            super(call, errno);
        }
    }

    /**
     * EMFILE or ENFILE: the process (or the system) is out of descriptors; a contained fault to wait
     * out, not a broken socket.
     */
    public static final class TooManyOpenFiles extends SystemCallException {
        private static final long serialVersionUID = 1L;

        TooManyOpenFiles(String call, int errno) {
            super(call, errno);
        }
    }

    /** EPIPE or ECONNRESET: the peer closed its end. */
    public static final class PeerGone extends SystemCallException {
        private static final long serialVersionUID = 1L;

        PeerGone(String call, int errno) {
            super(call, errno);
        }
    }

    /** ESRCH: no such process (it exited and was reaped). */
    public static final class NoSuchProcess extends SystemCallException {
        private static final long serialVersionUID = 1L;

        NoSuchProcess(String call, int errno) {
            super(call, errno);
        }
    }
}
