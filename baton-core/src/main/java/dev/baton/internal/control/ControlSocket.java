package dev.baton.internal.control;

import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Processes;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.listen.UnixSocketFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a service's control socket lives, and binding it safely.
 *
 * <p>The socket is {@code <directory>/<name>.sock}. The directory is {@code $BATON_CONTROL_DIR}, else
 * {@code $XDG_RUNTIME_DIR/baton}, else {@code /tmp/baton-<uid>}; it is created with mode 0700 and
 * refused if another user owns it or others may enter it, since the socket hands out listening
 * sockets and can stop the service.
 */
public final class ControlSocket {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int BACKLOG = 64;

    private ControlSocket() {}

    /** The control directory for this user, from the environment. */
    public static Path directory(Map<String, String> environment) {
        String explicit = environment.get("BATON_CONTROL_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String runtime = environment.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            return Path.of(runtime, "baton");
        }
        return Path.of("/tmp", "baton-" + Processes.userId());
    }

    /** The socket path of the service called {@code name}. */
    public static Path path(Path directory, String name) {
        checkName(name);
        return directory.resolve(name + ".sock");
    }

    /** Refuses a service name that could escape the directory or confuse a shell. */
    public static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid service name '" + name
                    + "': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    /**
     * Creates the control directory if needed and checks that only this user can enter it.
     *
     * @throws IOException if it cannot be created or is not safe, saying what to do
     */
    public static void prepareDirectory(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process made it meanwhile: checked below like any existing directory
            } catch (IOException e) {
                throw new IOException("cannot create the control directory " + directory + ": " + e.getMessage()
                        + "; set BATON_CONTROL_DIR to a directory you own", e);
            }
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the control directory " + directory + " is not a directory");
        }
        int owner = (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int self = Processes.userId();
        if (owner != self) {
            throw new IOException("the control directory " + directory + " belongs to uid " + owner + ", not to uid "
                    + self + "; remove it or set BATON_CONTROL_DIR to a directory you own");
        }
        if ((mode & 0077) != 0) {
            throw new IOException(String.format("the control directory %s has mode %03o; others may enter it. "
                    + "Run 'chmod 700 %s' or set BATON_CONTROL_DIR", directory, mode & 0777, directory));
        }
    }

    /**
     * Binds and listens on the control socket at {@code path}, replacing a stale one left by a crashed
     * run, and refusing if a live service holds it.
     *
     * @return the listening descriptor (close-on-exec, non-blocking)
     */
    public static int bind(Path path, String name) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            removeIfStale(path, name);
        }
        int fd = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        try {
            Sockets.bind(fd, path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            Sockets.listen(fd, BACKLOG);
            Descriptors.setNonBlocking(fd);
            return fd;
        } catch (IOException | IllegalArgumentException e) {
            Descriptors.closeQuietly(fd);
            throw new IOException("cannot create the control socket " + path + ": " + e.getMessage(), e);
        }
    }

    private static void removeIfStale(Path path, String name) throws IOException {
        if (!UnixSocketFiles.isSocket(path)) {
            throw new IOException(path + " exists and is not a socket; remove it or choose another service name");
        }
        int probe = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        try {
            Sockets.setTimeouts(probe, Duration.ofSeconds(1));
            Sockets.connect(probe, path);
            throw new IOException("another Baton service named '" + name + "' is running (its control socket is "
                    + path + "); stop it with 'baton stop --name " + name + "' or choose another name");
        } catch (SystemCallException.ConnectionRefused e) {
            Files.deleteIfExists(path); // stale: left by a process that is gone
        } catch (SystemCallException e) {
            throw new IOException("cannot check the control socket " + path + ": " + e.getMessage(), e);
        } finally {
            Descriptors.closeQuietly(probe);
        }
    }
}
