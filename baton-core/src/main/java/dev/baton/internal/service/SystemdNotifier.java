package dev.baton.internal.service;

import dev.baton.internal.os.DescriptorPassing;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Sockets;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Tells systemd about this service through {@code $NOTIFY_SOCKET} (the sd_notify protocol: one
 * datagram of {@code KEY=value} lines). Does nothing when the variable is not set. A failure to
 * notify is logged, never thrown: the service keeps serving.
 */
public final class SystemdNotifier {

    private static final Logger LOG = System.getLogger(SystemdNotifier.class.getName());

    private final String socket;
    private final String logPrefix;

    private SystemdNotifier(String socket, String logPrefix) {
        this.socket = socket;
        this.logPrefix = logPrefix;
    }

    public static SystemdNotifier fromEnvironment(Map<String, String> environment, String logPrefix) {
        String socket = environment.get("NOTIFY_SOCKET");
        return new SystemdNotifier(socket == null || socket.isBlank() ? null : socket, logPrefix);
    }

    public boolean enabled() {
        return socket != null;
    }

    /** READY=1, naming this process the main one (a new generation has a new pid). */
    public void ready(long pid, String status) {
        send("MAINPID=" + pid + "\nREADY=1\nSTATUS=" + status);
    }

    /** RELOADING=1 with the monotonic time systemd asks for, at the start of an upgrade. */
    public void reloading(String status) {
        // System.nanoTime() reads CLOCK_MONOTONIC on Linux, the clock MONOTONIC_USEC is on.
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000 + "\nSTATUS=" + status);
    }

    /** READY=1 again after a failed upgrade, so systemd ends the reload. */
    public void reloadFailed(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + status);
    }

    /**
     * Hands a copy of {@code descriptor} to systemd's file descriptor store under {@code name}
     * ({@code FDSTORE=1}, {@code FDNAME=}): systemd passes it back in {@code LISTEN_FDS} to the service's
     * next start, so a listener outlives a crashed process. Does nothing without a socket.
     *
     * @return whether systemd was sent it
     */
    public boolean store(String name, int descriptor) {
        return send("FDSTORE=1\nFDNAME=" + name, new int[] {descriptor});
    }

    /** Sends {@code message}, one or more {@code KEY=value} lines; does nothing without a socket. */
    public void send(String message) {
        send(message, new int[0]);
    }

    private boolean send(String message, int[] descriptors) {
        if (socket == null) {
            return false;
        }
        try {
            int fd = Sockets.newUnixSocket(Sockets.SOCK_DGRAM);
            try {
                // One path for every message: connect (an "@" name is an abstract socket), then one sendmsg.
                Sockets.connect(fd, Path.of(socket));
                DescriptorPassing.send(fd, message.getBytes(StandardCharsets.UTF_8), descriptors);
            } finally {
                Descriptors.closeQuietly(fd);
            }
            LOG.log(Level.DEBUG, () -> logPrefix + "sd_notify: " + message.replace('\n', ' '));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot notify systemd at " + socket + ": " + e.getMessage());
            return false;
        }
    }
}
