package dev.baton.internal.os;

import java.util.Map;

/** The errno values Baton meets, by number, with their symbolic names and the C library's text. */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOTSOCK = 88;
    public static final int EMSGSIZE = 90;
    public static final int EPROTOTYPE = 91;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;

    private record Name(String symbol, String text) {}

    private static final Map<Integer, Name> NAMES = Map.ofEntries(
            Map.entry(EPERM, new Name("EPERM", "Operation not permitted")),
            Map.entry(ENOENT, new Name("ENOENT", "No such file or directory")),
            Map.entry(ESRCH, new Name("ESRCH", "No such process")),
            Map.entry(EINTR, new Name("EINTR", "Interrupted system call")),
            Map.entry(EBADF, new Name("EBADF", "Bad file descriptor")),
            Map.entry(ECHILD, new Name("ECHILD", "No child processes")),
            Map.entry(EAGAIN, new Name("EAGAIN", "Resource temporarily unavailable")),
            Map.entry(ENOMEM, new Name("ENOMEM", "Cannot allocate memory")),
            Map.entry(EACCES, new Name("EACCES", "Permission denied")),
            Map.entry(EEXIST, new Name("EEXIST", "File exists")),
            Map.entry(ENOTDIR, new Name("ENOTDIR", "Not a directory")),
            Map.entry(EINVAL, new Name("EINVAL", "Invalid argument")),
            Map.entry(ENFILE, new Name("ENFILE", "Too many open files in system")),
            Map.entry(EMFILE, new Name("EMFILE", "Too many open files")),
            Map.entry(EPIPE, new Name("EPIPE", "Broken pipe")),
            Map.entry(ENAMETOOLONG, new Name("ENAMETOOLONG", "File name too long")),
            Map.entry(ENOTSOCK, new Name("ENOTSOCK", "Socket operation on non-socket")),
            Map.entry(EMSGSIZE, new Name("EMSGSIZE", "Message too long")),
            Map.entry(EPROTOTYPE, new Name("EPROTOTYPE", "Protocol wrong type for socket")),
            Map.entry(EOPNOTSUPP, new Name("EOPNOTSUPP", "Operation not supported")),
            Map.entry(EADDRINUSE, new Name("EADDRINUSE", "Address already in use")),
            Map.entry(EADDRNOTAVAIL, new Name("EADDRNOTAVAIL", "Cannot assign requested address")),
            Map.entry(ECONNRESET, new Name("ECONNRESET", "Connection reset by peer")),
            Map.entry(ENOBUFS, new Name("ENOBUFS", "No buffer space available")),
            Map.entry(ENOTCONN, new Name("ENOTCONN", "Transport endpoint is not connected")),
            Map.entry(ETIMEDOUT, new Name("ETIMEDOUT", "Connection timed out")),
            Map.entry(ECONNREFUSED, new Name("ECONNREFUSED", "Connection refused")));

    private Errno() {}

    /** {@code "EBADF (Bad file descriptor)"}, or {@code "errno 123"} for a value this table lacks. */
    public static String describe(int errno) {
        Name name = NAMES.get(errno);
        return name == null ? "errno " + errno : name.symbol() + " (" + name.text() + ")";
    }
}
