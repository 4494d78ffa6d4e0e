package dev.baton;

import dev.baton.internal.os.Descriptor;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.protocol.Message.ListenerSpec;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The listeners a predecessor gives its successor at the spawn, at descriptors 3, 4, ... (as systemd
 * passes sockets), named in {@value #VARIABLE}: {@code name=address} pairs, URL-encoded, comma-separated,
 * in descriptor order.
 *
 * <p>Why both this and the handover's {@code SCM_RIGHTS}: the handover comes only once the successor's JVM
 * has started and reached {@link Baton#open}, a second or more; a predecessor killed before then took the
 * only copies of the sockets with it, and connections were refused until the successor bound them again.
 * Inherited at the spawn, the sockets live on in the successor from its first instruction. When the handover
 * does happen, its descriptors are the ones used, and these copies are closed at once.
 *
 * <p>A descriptor is taken only if it is a listening stream socket: the variable may outlive its meaning
 * (a child of the application inherits the environment, not the descriptors).
 */
final class HandedListeners {

    static final String VARIABLE = "BATON_UPGRADE_LISTENERS";
    static final int FIRST_DESCRIPTOR = 3;

    private static final Logger LOG = System.getLogger("dev.baton");

    private HandedListeners() {}

    /** The variable's value for {@code specs}, the listeners at descriptors 3, 4, ... in that order. */
    static String describe(List<ListenerSpec> specs) {
        List<String> entries = new ArrayList<>();
        for (ListenerSpec spec : specs) {
            entries.add(encode(spec.name()) + "=" + encode(spec.address()));
        }
        return String.join(",", entries);
    }

    /**
     * Takes the handed listeners the environment names, for a successor whose predecessor died before the
     * handover; the caller owns them. Entries that are malformed or not a listening socket are skipped.
     */
    static List<InheritedListener> take(Map<String, String> variables) {
        List<InheritedListener> taken = new ArrayList<>();
        List<ListenerSpec> specs = parse(variables.get(VARIABLE));
        for (int i = 0; i < specs.size(); i++) {
            int fd = FIRST_DESCRIPTOR + i;
            ListenerSpec spec = specs.get(i);
            if (isListeningSocket(fd)) {
                try {
                    Descriptors.setCloseOnExec(fd, true);
                } catch (SystemCallException e) {
                    LOG.log(Level.DEBUG, () -> "fd " + fd + " stays open across exec: " + e.getMessage());
                }
                taken.add(new InheritedListener(spec.name(), spec.address(),
                        Descriptor.own(fd, "listener " + spec.name() + " inherited at the spawn")));
            } else {
                LOG.log(Level.WARNING, VARIABLE + " names listener " + spec.name() + " at fd " + fd
                        + ", which is not a listening socket here; not taken (the application binds that listener afresh "
                        + "if it asks for it)");
            }
        }
        return taken;
    }

    /** Closes the handed copies once the handover gave this process the same sockets again. */
    static void closeAll(Map<String, String> variables) {
        int count = parse(variables.get(VARIABLE)).size();
        for (int fd = FIRST_DESCRIPTOR; fd < FIRST_DESCRIPTOR + count; fd++) {
            if (isListeningSocket(fd)) {
                Descriptors.closeQuietly(fd);
            }
        }
    }

    static List<ListenerSpec> parse(String value) {
        List<ListenerSpec> specs = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return specs;
        }
        for (String entry : value.split(",", -1)) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                LOG.log(Level.WARNING, "ignoring " + VARIABLE + ": '" + entry + "' is not name=address");
                return List.of();
            }
            try {
                specs.add(new ListenerSpec(decode(entry.substring(0, equals)), decode(entry.substring(equals + 1))));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "ignoring " + VARIABLE + ": '" + entry + "' is not URL-encoded");
                return List.of();
            }
        }
        return specs;
    }

    private static boolean isListeningSocket(int fd) {
        try {
            return Sockets.type(fd) == Sockets.SOCK_STREAM && Sockets.isListening(fd);
        } catch (SystemCallException e) {
            return false; // not open, or not a socket
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
