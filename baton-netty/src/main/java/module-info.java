/**
 * Baton for Netty 4.2: Netty server channels on the listeners Baton hands over, and a drain that
 * speaks each protocol (HTTP/1.1, HTTP/2, WebSocket).
 *
 * <p>It exports one package, {@link dev.baton.netty}. The epoll transport duplicates descriptors
 * through {@code java.lang.foreign}: grant this module native access as well as Baton's core
 * ({@code --enable-native-access=dev.baton,dev.baton.netty}, or {@code ALL-UNNAMED} on the class path).
 */
module dev.baton.netty {
    // The public API speaks of ManagedServer, channels, handlers and SslContext: readers of this module read those.
    requires transitive dev.baton;
    requires transitive io.netty.common;
    requires io.netty.buffer;
    requires transitive io.netty.transport;
    requires io.netty.transport.unix.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.codec;
    requires transitive io.netty.handler;
    requires io.netty.codec.http;
    requires io.netty.codec.http2;

    exports dev.baton.netty;
}
