package dev.baton.internal.service;

import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps the listeners a process bound in systemd's file descriptor store, so that a service killed and
 * restarted by systemd ({@code Restart=always}) gets the same sockets back in {@code LISTEN_FDS}:
 * connections queue in them meanwhile instead of being refused, and the restart never meets "address in
 * use". Used by a cold-started generation and by the supervisor, for what they bound themselves.
 *
 * <p>Only where the unit asks for it: systemd 254 and later set {@code $FDSTORE} to the unit's
 * {@code FileDescriptorStoreMax=} when it is above 0 (on an older systemd, set it in the unit with
 * {@code Environment=FDSTORE=N}); a unit without a store would close and complain of every descriptor
 * sent. Listeners systemd passed in are in its hands already; Unix-socket listeners are not stored,
 * since a final stop removes their socket file.
 */
public final class DescriptorStore {

    /** The variable systemd sets to the unit's {@code FileDescriptorStoreMax=}. */
    public static final String VARIABLE = "FDSTORE";

    /** A listener this process bound: its name (the {@code FDNAME}) and descriptor. */
    public record Bound(String name, int fd) {}

    private static final Logger LOG = System.getLogger("dev.baton");

    private DescriptorStore() {}

    /** Stores what it should of {@code bound}; logs what it did and, under systemd without a store, how to have one. */
    public static void keep(List<Bound> bound, SystemdNotifier systemd, Map<String, String> environment,
            String logPrefix) {
        if (!systemd.enabled()) {
            return; // not under systemd: nothing to ask of the listeners
        }
        List<Bound> internet = bound.stream().filter(listener -> isInternet(listener.fd())).toList();
        if (internet.isEmpty()) {
            return;
        }
        int room = room(environment.get(VARIABLE));
        if (room <= 0) {
            LOG.log(Level.INFO, logPrefix + "systemd's file descriptor store is off for this unit: with "
                    + "FileDescriptorStoreMax=" + internet.size() + " in it, a restart after a crash takes the "
                    + "listening sockets back and refuses no connection");
            return;
        }
        List<String> stored = new ArrayList<>();
        for (Bound listener : internet) {
            if (stored.size() == room) {
                LOG.log(Level.WARNING, logPrefix + "systemd's file descriptor store holds " + room + " (FDSTORE="
                        + room + "): listener " + listener.name() + " is not kept; raise FileDescriptorStoreMax=");
                continue;
            }
            if (systemd.store(listener.name(), listener.fd())) {
                stored.add(listener.name());
            }
        }
        if (!stored.isEmpty()) {
            LOG.log(Level.INFO, logPrefix + "listeners " + stored + " kept in systemd's file descriptor store: "
                    + "a restart after a crash takes them back");
        }
    }

    private static int room(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isInternet(int fd) {
        try {
            int family = Sockets.family(fd);
            return family == Sockets.AF_INET || family == Sockets.AF_INET6;
        } catch (SystemCallException e) {
            return false;
        }
    }
}
