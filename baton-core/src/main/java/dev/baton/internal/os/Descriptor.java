package dev.baton.internal.os;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open file descriptor with one owner: closed exactly once by {@link #close()}, or given up by
 * {@link #release()} when it is handed on (to a server that closes it, or duplicated onto a standard
 * stream). After either, {@link #number()} fails instead of naming a descriptor that may by then be
 * another file's.
 *
 * <p>Thread-safe: closing and releasing race safely; exactly one of them wins.
 */
public final class Descriptor implements AutoCloseable {

    private static final int GONE = -1;

    private final AtomicInteger fd;
    private final String what;

    private Descriptor(int fd, String what) {
        this.fd = new AtomicInteger(fd);
        this.what = what;
    }

    /**
     * Takes ownership of {@code fd}.
     *
     * @param what what it is, for messages, such as {@code "the control socket"}
     * @throws IllegalArgumentException if {@code fd} is negative (a failed call's result is no descriptor)
     */
    public static Descriptor own(int fd, String what) {
        if (fd < 0) {
            throw new IllegalArgumentException(what + ": " + fd + " is no descriptor");
        }
        return new Descriptor(fd, what);
    }

    /**
     * The descriptor's number, to pass to a system call while this object still owns it.
     *
     * @throws IllegalStateException if it was closed or released
     */
    public int number() {
        int current = fd.get();
        if (current == GONE) {
            throw new IllegalStateException(what + " was closed or handed on; it has no descriptor any more");
        }
        return current;
    }

    /** Whether this object still owns the descriptor. */
    public boolean isOpen() {
        return fd.get() != GONE;
    }

    /**
     * Gives up ownership: the caller now owns the number returned and must close it.
     *
     * @throws IllegalStateException if it was closed or released already
     */
    public int release() {
        int released = fd.getAndSet(GONE);
        if (released == GONE) {
            throw new IllegalStateException(what + " was closed or handed on already");
        }
        return released;
    }

    /** Closes the descriptor, once; later calls (and a call after {@link #release()}) do nothing. */
    @Override
    public void close() {
        int owned = fd.getAndSet(GONE);
        if (owned != GONE) {
            Descriptors.closeQuietly(owned);
        }
    }

    /** Closes each of {@code descriptors} (those already closed or released are left as they are). */
    public static void closeAll(Collection<Descriptor> descriptors) {
        descriptors.forEach(Descriptor::close);
    }

    @Override
    public String toString() {
        int current = fd.get();
        return what + (current == GONE ? " (closed)" : " (fd " + current + ")");
    }
}
