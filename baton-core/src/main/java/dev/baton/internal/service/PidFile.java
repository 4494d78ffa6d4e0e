package dev.baton.internal.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A file holding the serving generation's pid, rewritten atomically (a temporary file, then a rename). */
public final class PidFile {

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    /**
     * Checks that the pidfile can be written, before anything else starts.
     *
     * @throws IOException if its directory is missing or not writable, saying so
     */
    public static PidFile at(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IOException("cannot write the pidfile " + path + ": the directory " + directory
                    + " does not exist; create it or choose another pidfile");
        }
        if (!Files.isWritable(directory)) {
            throw new IOException("cannot write the pidfile " + path + ": the directory " + directory
                    + " is not writable by this user");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException("cannot write the pidfile " + path + ": it is a directory");
        }
        return new PidFile(absolute);
    }

    public Path path() {
        return path;
    }

    /** Makes the file hold {@code pid}; a reader sees the old content or the new, never a partial one. */
    public void write(long pid) throws IOException {
        Path temporary = path.resolveSibling("." + path.getFileName() + "." + pid + ".tmp");
        Files.writeString(temporary, pid + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot replace the pidfile " + path + " atomically: " + e.getMessage(), e);
        }
    }

    /** Removes the file if it still holds {@code pid} (a successor may have rewritten it). */
    public void removeIfHolds(long pid) throws IOException {
        try {
            if (Files.readString(path, StandardCharsets.US_ASCII).strip().equals(Long.toString(pid))) {
                Files.deleteIfExists(path);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // nothing to remove
        }
    }
}
