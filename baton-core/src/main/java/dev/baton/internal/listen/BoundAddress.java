package dev.baton.internal.listen;

import dev.baton.ListenAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;

/** Where a listening channel is bound, written as {@link ListenAddress} writes addresses. */
public final class BoundAddress {

    private BoundAddress() {}

    /**
     * The address {@code channel} is bound to (with the port the kernel chose when port 0 was asked
     * for), or {@code fallback} if it cannot be read.
     */
    public static String describe(ServerSocketChannel channel, String fallback) {
        try {
            return switch (channel.getLocalAddress()) {
                case InetSocketAddress inet -> new ListenAddress.Tcp(
                        inet.getAddress().isAnyLocalAddress() ? "" : inet.getAddress().getHostAddress(),
                        inet.getPort()).toString();
                case UnixDomainSocketAddress unix -> new ListenAddress.Unix(unix.getPath()).toString();
                case null, default -> fallback;
            };
        } catch (IOException e) {
            return fallback;
        }
    }
}
