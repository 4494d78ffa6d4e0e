package dev.baton;

import dev.baton.internal.events.BatonEvents;
import dev.baton.internal.listen.ChannelAdopter;
import dev.baton.internal.listen.ListenerBinder;
import dev.baton.internal.os.Descriptor;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.protocol.Message.ListenerSpec;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The listeners of one generation: those it inherited and has not claimed yet, and those it uses.
 * Thread-safe: every method is synchronized.
 */
final class ListenerSet {

    private static final Logger LOG = System.getLogger(ListenerSet.class.getName());

    private final Map<String, InheritedListener> unclaimed = new LinkedHashMap<>();
    private final Map<String, Listener> active = new LinkedHashMap<>();
    private final int backlog;
    private final int generation;
    private final String logPrefix;

    ListenerSet(List<InheritedListener> inherited, int backlog, int generation, String logPrefix) {
        inherited.forEach(listener -> unclaimed.put(listener.name(), listener));
        this.backlog = backlog;
        this.generation = generation;
        this.logPrefix = logPrefix;
    }

    synchronized Listener listen(String name, ListenAddress address) throws IOException {
        if (active.containsKey(name)) {
            throw new IllegalStateException("a listener named '" + name + "' was already taken: " + active.get(name));
        }
        InheritedListener inherited = unclaimed.get(name);
        Listener listener;
        if (inherited != null && inherited.matches(address)) {
            unclaimed.remove(name);
            listener = adopt(inherited, address);
            BatonEvents.listenerInherited(generation, name, listener.boundAddress(), listener.descriptor());
        } else {
            if (inherited != null) {
                LOG.log(Level.INFO, logPrefix + "listener " + name + " moved from " + inherited.address() + " to "
                        + address + ": binding anew; the inherited socket is closed at ready()");
            }
            var bind = BatonEvents.bindBegins();
            ServerSocketChannel channel = ListenerBinder.bind(name, address, backlog);
            listener = new Listener(name, address, channel, ChannelAdopter.descriptorOf(channel), false);
            BatonEvents.listenerBound(bind, generation, name, listener.boundAddress(), listener.descriptor());
        }
        active.put(name, listener);
        LOG.log(Level.DEBUG, () -> logPrefix + "listening on " + listener + " (fd " + listener.descriptor() + ")");
        return listener;
    }

    private Listener adopt(InheritedListener inherited, ListenAddress address) throws IOException {
        Descriptor socket = inherited.socket();
        try {
            int fd = socket.number();
            if (Sockets.type(fd) != Sockets.SOCK_STREAM || !Sockets.isListening(fd)) {
                throw new IOException("the inherited descriptor " + fd + " for listener " + inherited.name()
                        + " is not a listening stream socket");
            }
            Descriptors.setNonBlocking(fd);
            ServerSocketChannel channel = ChannelAdopter.adopt(fd, Sockets.family(fd) == Sockets.AF_UNIX);
            return new Listener(inherited.name(), address, channel, socket.release(), true);
        } catch (IOException | RuntimeException e) {
            socket.close(); // claimed already: closeUnclaimed() no longer sees it
            throw e;
        }
    }

    synchronized Optional<Listener> get(String name) {
        return Optional.ofNullable(active.get(name));
    }

    synchronized List<Listener> active() {
        return List.copyOf(active.values());
    }

    synchronized List<String> activeNames() {
        return List.copyOf(active.keySet());
    }

    /** The listeners in use, as a successor is told of them. */
    synchronized List<ListenerSpec> specs() {
        return toHand().specs();
    }

    /**
     * The listeners in use as a successor gets them: their specs, and their descriptors in the same order.
     * One call, so that the two cannot disagree.
     */
    synchronized Handed toHand() {
        List<ListenerSpec> specs = new ArrayList<>();
        active.values().forEach(l -> specs.add(new ListenerSpec(l.name(), l.address().toString())));
        return new Handed(List.copyOf(specs), active.values().stream().mapToInt(Listener::descriptor).toArray());
    }

    /** What {@link #toHand()} returns: {@code descriptors[i]} is the socket of {@code specs.get(i)}. */
    record Handed(List<ListenerSpec> specs, int[] descriptors) {
    }

    /** The listeners in use with the addresses they are bound to, for a person or a status reply. */
    synchronized List<ListenerSpec> boundSpecs() {
        List<ListenerSpec> specs = new ArrayList<>();
        active.values().forEach(l -> specs.add(new ListenerSpec(l.name(), l.boundAddress())));
        return specs;
    }

    /**
     * Closes the inherited sockets nobody claimed: a socket nobody accepts on makes clients hang
     * instead of fail, so it must not stay open.
     */
    synchronized void closeUnclaimed() {
        for (InheritedListener listener : unclaimed.values()) {
            LOG.log(Level.INFO, logPrefix + "closing inherited listener " + listener.name() + " ("
                    + (listener.address().isEmpty() ? listener.socket().toString() : listener.address())
                    + "): this generation did not ask for it");
            listener.socket().close();
        }
        unclaimed.clear();
    }

    /** Closes this process's copy of every listener; the sockets stay open in other processes holding them. */
    synchronized void closeAll() {
        closeUnclaimed();
        for (Listener listener : active.values()) {
            try {
                listener.channel().close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, logPrefix + "closing listener " + listener + " failed: " + e.getMessage());
            }
        }
    }
}
