package dev.baton.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.util.Optional;

/**
 * The Netty transport a Baton listener is served on: the JDK's NIO selector, or Netty's native epoll.
 *
 * <p>The event loops of a server must be made with this transport's {@link #ioHandlerFactory()}: a
 * channel registers only with an event loop of its own kind.
 */
public enum Transport {

    /** {@code NioServerSocketChannel} over the adopted {@code ServerSocketChannel}; works everywhere. */
    NIO,

    /**
     * {@code EpollServerSocketChannel} over a duplicate of the listener's descriptor; needs Linux and
     * Netty's native library ({@code netty-transport-native-epoll}, classifier {@code linux-x86_64}).
     */
    EPOLL;

    /** The factory of event loops for this transport, for {@code new MultiThreadIoEventLoopGroup(n, factory)}. */
    public IoHandlerFactory ioHandlerFactory() {
        ensureAvailable();
        return switch (this) {
            case NIO -> NioIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
        };
    }

    /** Whether this transport can run in this JVM. */
    public boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** Why this transport cannot run in this JVM, if it cannot. */
    public Optional<Throwable> unavailabilityCause() {
        return switch (this) {
            case NIO -> Optional.empty();
            case EPOLL -> Optional.ofNullable(Epoll.unavailabilityCause());
        };
    }

    /**
     * Throws if this transport cannot run in this JVM.
     *
     * @throws IllegalStateException naming the transport and the cause (for epoll usually the native
     *     library missing from the class path)
     */
    public void ensureAvailable() {
        Optional<Throwable> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new IllegalStateException("the Netty " + this + " transport is not available here: "
                    + cause.get() + "; add io.netty:netty-transport-native-epoll (classifier linux-x86_64)"
                    + " to the class path, or use Transport.NIO", cause.get());
        }
    }
}
