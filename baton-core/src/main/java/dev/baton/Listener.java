package dev.baton;

import dev.baton.internal.listen.BoundAddress;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;

/**
 * A named listening socket of this generation, as {@link Baton#listen} returned it: inherited from
 * the previous generation (or from systemd or a supervisor) when one had that name, bound anew
 * otherwise.
 *
 * <p>The channel belongs to Baton: hand it to your server, but do not close it yourself before the
 * generation drains, and never call {@code shutdown()} on it, which would act on the socket for every
 * process holding it.
 */
public final class Listener {

    private final String name;
    private final ListenAddress address;
    private final ServerSocketChannel channel;
    private final int descriptor;
    private final boolean inherited;

    Listener(String name, ListenAddress address, ServerSocketChannel channel, int descriptor, boolean inherited) {
        this.name = Objects.requireNonNull(name, "name");
        this.address = Objects.requireNonNull(address, "address");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.descriptor = descriptor;
        this.inherited = inherited;
    }

    /** The name the application gave it. */
    public String name() {
        return name;
    }

    /** The address the application asked for. */
    public ListenAddress address() {
        return address;
    }

    /** The listening channel, in blocking mode. */
    public ServerSocketChannel channel() {
        return channel;
    }

    /**
     * The raw descriptor number, for servers that accept on descriptors themselves (such as Netty's
     * native epoll transport). It stays Baton's: do not close it.
     */
    public int descriptor() {
        return descriptor;
    }

    /** Whether the socket was inherited rather than bound by this generation. */
    public boolean inherited() {
        return inherited;
    }

    /** The address the socket is bound to (with the actual port when port 0 was asked for). */
    public SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    /**
     * Where the socket is bound, written as {@link ListenAddress} writes addresses (with the port the
     * kernel chose when port 0 was asked for), or the requested address if it cannot be read.
     */
    public String boundAddress() {
        return BoundAddress.describe(channel, address.toString());
    }

    @Override
    public String toString() {
        return name + "=" + boundAddress() + (inherited ? " (inherited)" : "");
    }
}
