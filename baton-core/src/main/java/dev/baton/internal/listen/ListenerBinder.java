package dev.baton.internal.listen;

import dev.baton.ListenAddress;
import dev.baton.internal.os.Descriptors;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Binds a new listening socket for a {@link ListenAddress}, with errors that say what to do.
 *
 * <p>The socket is left non-blocking at the file-description level (see
 * {@link Descriptors#setNonBlocking}); the returned channel is in the JDK's blocking mode, which
 * copes with that.
 */
public final class ListenerBinder {

    private ListenerBinder() {}

    /** A new channel listening on {@code address}, for the listener called {@code name}. */
    public static ServerSocketChannel bind(String name, ListenAddress address, int backlog) throws IOException {
        ServerSocketChannel channel = switch (address) {
            case ListenAddress.Tcp tcp -> bindTcp(name, tcp, backlog);
            case ListenAddress.Unix unix -> bindUnix(name, unix, backlog);
        };
        try {
            Descriptors.setNonBlocking(ChannelAdopter.descriptorOf(channel));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    private static ServerSocketChannel bindTcp(String name, ListenAddress.Tcp tcp, int backlog) throws IOException {
        InetSocketAddress socketAddress;
        if (tcp.isWildcard()) {
            socketAddress = new InetSocketAddress(tcp.port());
        } else {
            try {
                socketAddress = new InetSocketAddress(InetAddress.getByName(tcp.host()), tcp.port());
            } catch (UnknownHostException e) {
                throw new IOException("cannot listen on " + name + "=" + tcp + ": unknown host '" + tcp.host()
                        + "'; use an IP address or a name this machine resolves", e);
            }
        }
        ServerSocketChannel channel = tcp.isWildcard()
                ? ServerSocketChannel.open()
                : ServerSocketChannel.open(socketAddress.getAddress() instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6
                        : StandardProtocolFamily.INET);
        try {
            channel.bind(socketAddress, backlog);
            return channel;
        } catch (BindException e) {
            channel.close();
            throw new IOException("cannot listen on " + name + "=" + tcp + ": " + e.getMessage() + hint(e, tcp), e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot listen on " + name + "=" + tcp + ": " + e.getMessage(), e);
        }
    }

    private static String hint(BindException e, ListenAddress.Tcp tcp) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("in use")) {
            return " (" + PortHolder.describe(tcp.port()) + "; stop it or choose another port)";
        }
        if (message.contains("assign requested address")) {
            return " (this machine has no such address)";
        }
        if (message.contains("Permission denied")) {
            return " (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
        }
        return "";
    }

    private static ServerSocketChannel bindUnix(String name, ListenAddress.Unix unix, int backlog) throws IOException {
        Path path = unix.path();
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IOException("cannot listen on " + name + "=" + unix + ": the directory " + parent
                    + " does not exist");
        }
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            removeIfStale(name, unix);
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path), backlog);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen on " + name + "=" + unix + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes a socket file left by a process that is gone (nothing accepts on it); refuses to touch a
     * live socket or a file that is not a socket.
     */
    private static void removeIfStale(String name, ListenAddress.Unix unix) throws IOException {
        Path path = unix.path();
        if (!UnixSocketFiles.isSocket(path)) {
            throw new IOException("cannot listen on " + name + "=" + unix + ": " + path
                    + " exists and is not a socket; remove it or choose another path");
        }
        boolean live;
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(path)).close();
            live = true;
        } catch (java.net.ConnectException stale) {
            live = false;
        } catch (IOException e) {
            throw new IOException("cannot listen on " + name + "=" + unix + ": cannot check the socket already at "
                    + path + " (" + e.getMessage() + "); remove it or choose another path", e);
        }
        if (live) {
            throw new IOException("cannot listen on " + name + "=" + unix + ": another process is listening on "
                    + path + "; stop it or choose another path");
        }
        Files.deleteIfExists(path); // stale: left by a process that is gone
    }
}
