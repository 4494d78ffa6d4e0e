package dev.baton.supervisor;

import dev.baton.ListenAddress;
import dev.baton.internal.listen.BoundAddress;
import dev.baton.internal.listen.ChannelAdopter;
import dev.baton.internal.listen.ListenerBinder;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.protocol.Message.ListenerSpec;
import dev.baton.internal.service.SocketActivation;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The listening sockets the supervisor owns for its whole life and hands to every worker, in order:
 * bound by the core's {@link ListenerBinder}, or taken from systemd socket activation when the
 * supervisor itself was started with {@code LISTEN_FDS} for its pid (by {@code LISTEN_FDNAMES}).
 * The supervisor never accepts on them: connections wait in their queues while no worker serves.
 */
final class SupervisedListeners implements AutoCloseable {

    private static final Logger LOG = System.getLogger(SupervisedListeners.class.getName());

    /** One listener: its channel owns the descriptor. */
    record Bound(String name, String address, ServerSocketChannel channel, Path unixPath, boolean activated) {
        int fd() {
            return ChannelAdopter.descriptorOf(channel);
        }
    }

    private final List<Bound> listeners;

    private SupervisedListeners(List<Bound> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Binds {@code requested} (or takes them from socket activation), in order; listeners activated but
     * not requested are passed on too, after them.
     *
     * @throws IOException if one cannot be bound (port in use, ...), saying which and why; the others
     *     bound so far are closed
     */
    static SupervisedListeners open(Map<String, ListenAddress> requested, Map<String, String> environment, long pid,
            int backlog) throws IOException {
        Map<String, Bound> activated = fromActivation(environment, pid);
        List<Bound> bound = new ArrayList<>();
        try {
            for (Map.Entry<String, ListenAddress> entry : requested.entrySet()) {
                Bound inherited = activated.remove(entry.getKey());
                if (inherited != null) {
                    bound.add(inherited);
                    continue;
                }
                ServerSocketChannel channel = ListenerBinder.bind(entry.getKey(), entry.getValue(), backlog);
                Path unixPath = entry.getValue() instanceof ListenAddress.Unix unix ? unix.path() : null;
                String address = BoundAddress.describe(channel, entry.getValue().toString());
                bound.add(new Bound(entry.getKey(), address, channel, unixPath, false));
            }
            bound.addAll(activated.values());
            activated.clear();
        } catch (IOException | RuntimeException e) {
            bound.forEach(SupervisedListeners::closeQuietly);
            activated.values().forEach(SupervisedListeners::closeQuietly);
            throw e;
        }
        if (bound.isEmpty()) {
            throw new IOException("no listener to hand to the workers: give one with --listen NAME=ADDRESS, such as "
                    + "--listen http=:8080, or start the supervisor with systemd socket activation");
        }
        return new SupervisedListeners(bound);
    }

    /**
     * Takes over the listeners a previous program image of this supervisor carried across its
     * {@code execve}, at the descriptors {@code carried} names; checks that each is a listening stream
     * socket of the right family first.
     *
     * @throws IOException naming the listener and what is wrong; nothing is closed (the descriptors
     *     are the only copies this process has, and the workers serve on their own)
     */
    static SupervisedListeners adopt(List<SupervisorState.Listener> carried) throws IOException {
        List<Bound> adopted = new ArrayList<>();
        for (SupervisorState.Listener listener : carried) {
            int fd = listener.fd();
            try {
                int family = Sockets.family(fd);
                if (Sockets.type(fd) != Sockets.SOCK_STREAM || !Sockets.isListening(fd)
                        || (family != Sockets.AF_UNIX && family != Sockets.AF_INET && family != Sockets.AF_INET6)
                        || (listener.unixPath() != null && family != Sockets.AF_UNIX)) {
                    throw new IOException("carried fd " + fd + " of listener " + listener.name()
                            + " is not a listening stream socket of the right family");
                }
                Descriptors.setCloseOnExec(fd, true);
                Descriptors.setNonBlocking(fd);
                ServerSocketChannel channel = ChannelAdopter.adopt(fd, family == Sockets.AF_UNIX);
                adopted.add(new Bound(listener.name(), listener.address(), channel,
                        listener.unixPath() == null ? null : Path.of(listener.unixPath()), listener.activated()));
            } catch (SystemCallException e) {
                throw new IOException("carried fd " + fd + " of listener " + listener.name() + ": " + e.getMessage(),
                        e);
            }
        }
        return new SupervisedListeners(adopted);
    }

    private static Map<String, Bound> fromActivation(Map<String, String> environment, long pid) throws IOException {
        Map<String, Bound> found = new LinkedHashMap<>();
        List<SocketActivation.PassedSocket> passed;
        try {
            passed = SocketActivation.fromEnvironment(environment, pid);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
        for (SocketActivation.PassedSocket socket : passed) {
            int fd = socket.fd();
            try {
                Descriptors.setNonBlocking(fd);
                ServerSocketChannel channel = ChannelAdopter.adopt(fd, Sockets.family(fd) == Sockets.AF_UNIX);
                String address = BoundAddress.describe(channel, "fd " + fd);
                found.put(socket.name(), new Bound(socket.name(), address, channel, null, true));
            } catch (SystemCallException e) {
                LOG.log(Level.WARNING, "ignoring socket-activated descriptor " + fd + " (" + socket.name() + "): "
                        + e.getMessage());
            }
        }
        return found;
    }

    List<Bound> all() {
        return listeners;
    }

    /** The descriptors, in the order the workers get them. */
    int[] descriptors() {
        return listeners.stream().mapToInt(Bound::fd).toArray();
    }

    /** {@code LISTEN_FDNAMES}: the names, colon-separated. */
    String names() {
        return String.join(":", listeners.stream().map(Bound::name).toList());
    }

    List<ListenerSpec> specs() {
        return listeners.stream().map(l -> new ListenerSpec(l.name(), l.address())).toList();
    }

    /** Closes every listener, and removes the socket files of Unix listeners this supervisor bound. */
    @Override
    public void close() {
        for (Bound listener : listeners) {
            closeQuietly(listener);
            if (listener.unixPath() != null && !listener.activated()) {
                try {
                    Files.deleteIfExists(listener.unixPath());
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot remove " + listener.unixPath() + ": " + e.getMessage());
                }
            }
        }
    }

    private static void closeQuietly(Bound listener) {
        try {
            listener.channel().close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot close listener " + listener.name() + ": " + e.getMessage());
        }
    }
}
