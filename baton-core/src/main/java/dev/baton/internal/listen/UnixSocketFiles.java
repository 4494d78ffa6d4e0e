package dev.baton.internal.listen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Facts about socket files on disk. */
public final class UnixSocketFiles {

    private UnixSocketFiles() {}

    /** Whether {@code path} is a socket file (not following a symbolic link). */
    public static boolean isSocket(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return ((Integer) mode & 0xF000) == 0xC000; // S_IFSOCK
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
