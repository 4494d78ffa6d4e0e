package dev.baton.internal.service;

import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Listeners passed the way systemd passes them: descriptors from 3 on, {@code LISTEN_FDS} of them,
 * named by {@code LISTEN_FDNAMES}, for the process {@code LISTEN_PID} names (so a child that inherits
 * the environment does not take them by mistake). A Baton supervisor passes its workers' listeners
 * the same way.
 */
public final class SocketActivation {

    /** A listening socket passed to this process: its name and descriptor, now this process's. */
    public record PassedSocket(String name, int fd) {}

    public static final int FIRST_FD = 3;
    private static final Logger LOG = System.getLogger(SocketActivation.class.getName());

    private SocketActivation() {}

    /** The listeners passed to this process, or none if the environment passes none to it. */
    public static List<PassedSocket> fromEnvironment(Map<String, String> environment, long pid) {
        String count = environment.get("LISTEN_FDS");
        String forPid = environment.get("LISTEN_PID");
        if (count == null || forPid == null) {
            return List.of();
        }
        if (!forPid.strip().equals(Long.toString(pid))) {
            LOG.log(Level.DEBUG, () -> "ignoring LISTEN_FDS: it is meant for pid " + forPid + ", not " + pid);
            return List.of();
        }
        int fds;
        try {
            fds = Integer.parseInt(count.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("LISTEN_FDS is '" + count + "', not a number of descriptors");
        }
        if (fds < 0 || fds > 1024) {
            throw new IllegalStateException("LISTEN_FDS is " + fds + ", outside 0-1024");
        }
        String namesValue = environment.getOrDefault("LISTEN_FDNAMES", "");
        String[] names = namesValue.isEmpty() ? new String[0] : namesValue.split(":", -1);
        List<PassedSocket> listeners = new ArrayList<>();
        for (int i = 0; i < fds; i++) {
            int fd = FIRST_FD + i;
            String name = i < names.length && !names[i].isEmpty() ? names[i] : "fd" + fd;
            try {
                Descriptors.setCloseOnExec(fd, true);
                if (Sockets.type(fd) != Sockets.SOCK_STREAM || !Sockets.isListening(fd)) {
                    LOG.log(Level.WARNING, "ignoring passed descriptor " + fd + " (" + name
                            + "): not a listening stream socket");
                    continue;
                }
            } catch (SystemCallException e) {
                LOG.log(Level.WARNING, "ignoring passed descriptor " + fd + " (" + name + "): " + e.getMessage());
                continue;
            }
            listeners.add(new PassedSocket(name, fd));
        }
        return listeners;
    }
}
