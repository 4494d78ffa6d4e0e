package dev.baton.supervisor;

import dev.baton.internal.os.DescriptorPassing;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One worker's {@code NOTIFY_SOCKET}: a datagram Unix socket in the control directory (mode 0600)
 * that receives sd_notify messages, {@code KEY=value} lines, one datagram each. Being one socket per
 * worker, a message is attributed to its worker by where it arrives. One thread reads it; it owns the
 * socket and closes it (and removes the file) when {@link #close()} wakes it.
 */
final class NotifySocket implements AutoCloseable {

    private static final Logger LOG = System.getLogger(NotifySocket.class.getName());
    private static final int MAX_DATAGRAM = 4096;

    private final Path path;
    private final int fd;
    private final int wakeFd;
    private boolean closed; // guarded by this: the reader closed fd

    private NotifySocket(Path path, int fd, int wakeFd) {
        this.path = path;
        this.fd = fd;
        this.wakeFd = wakeFd;
    }

    /**
     * Binds the socket at {@code path} (replacing a file left there by a supervisor that crashed) and
     * starts handing each received message, split into lines, to {@code onMessage}.
     */
    static NotifySocket open(Path path, String logPrefix, Consumer<List<String>> onMessage)
            throws IOException {
        Files.deleteIfExists(path);
        int fd = Sockets.newUnixSocket(Sockets.SOCK_DGRAM);
        int wakeFd;
        try {
            Sockets.bind(fd, path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            wakeFd = Descriptors.newEventFd();
        } catch (IOException e) {
            Descriptors.closeQuietly(fd);
            throw new IOException("cannot create the notify socket " + path + ": " + e.getMessage(), e);
        }
        NotifySocket socket = new NotifySocket(path, fd, wakeFd);
        Thread.ofPlatform().daemon().name("baton-notify").start(() -> socket.receive(logPrefix, onMessage));
        return socket;
    }

    /**
     * Takes over {@code fd}, a notify socket bound at {@code path} that a previous program image of this
     * supervisor made and carried across its {@code execve}; checks that it is one.
     */
    static NotifySocket adopt(Path path, int fd, String logPrefix, Consumer<List<String>> onMessage)
            throws IOException {
        if (Sockets.family(fd) != Sockets.AF_UNIX || Sockets.type(fd) != Sockets.SOCK_DGRAM
                || !Sockets.unixPath(fd).equals(path.toString())) {
            throw new IOException("carried fd " + fd + " is not the datagram socket bound at " + path);
        }
        Descriptors.setCloseOnExec(fd, true);
        NotifySocket socket = new NotifySocket(path, fd, Descriptors.newEventFd());
        Thread.ofPlatform().daemon().name("baton-notify").start(() -> socket.receive(logPrefix, onMessage));
        return socket;
    }

    Path path() {
        return path;
    }

    /** A close-on-exec duplicate of the socket, owned by the caller, or -1 if the reader has closed it. */
    synchronized int duplicateForCarry() throws SystemCallException {
        return closed ? -1 : Descriptors.duplicate(fd, 3);
    }

    private void receive(String logPrefix, Consumer<List<String>> onMessage) {
        try {
            while (Descriptors.awaitReadable(new int[] {fd, wakeFd}, Duration.ofDays(1)) != 1) {
                DescriptorPassing.Received received = DescriptorPassing.receive(fd, MAX_DATAGRAM, 8);
                received.closeDescriptors(); // FDSTORE=1 and the like: not kept by this supervisor
                String text = new String(received.data(), StandardCharsets.UTF_8);
                onMessage.accept(text.lines().filter(line -> !line.isBlank()).toList());
            }
        } catch (SystemCallException | RuntimeException e) {
            LOG.log(Level.WARNING, logPrefix + "notify socket " + path + " failed: " + e.getMessage());
        } finally {
            synchronized (this) {
                closed = true;
                Descriptors.closeQuietly(fd);
            }
            Descriptors.closeQuietly(wakeFd);
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.log(Level.WARNING, logPrefix + "cannot remove " + path + ": " + e.getMessage());
            }
        }
    }

    /** Stops receiving; the reading thread closes the socket and removes its file. */
    @Override
    public void close() {
        try {
            Descriptors.signalEventFd(wakeFd);
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, "cannot wake the notify socket reader of " + path + ": " + e.getMessage());
        }
    }
}
