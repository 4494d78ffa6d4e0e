package dev.baton.spring.tomcat;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tomcat.util.net.NioEndpoint;

/**
 * Tomcat's NIO endpoint on a listening socket Baton handed over, instead of one it binds.
 *
 * <p>Why a subclass: Tomcat can adopt a channel only through {@code useInheritedChannel}, which takes
 * {@link System#inheritedChannel()} (descriptor 0); every other route binds a new socket. The endpoint's
 * own socket field is private, so this class keeps Baton's channel itself and overrides each method
 * that touches the server socket: {@link #initServerSocket()} takes the channel instead of binding one
 * (and, unlike Tomcat's, never calls {@code configureBlocking}: the channel is already in the JDK's
 * blocking mode, as Tomcat's acceptor needs, and the descriptor's O_NONBLOCK flag, shared by every
 * generation holding the socket, stays set for the ones that accept from a selector),
 * {@link #serverSocketAccept()}, {@link #doCloseServerSocket()} (closes this process's copy, never
 * {@code shutdown()}), and {@link #unlockAccept()} (Tomcat wakes its acceptor by connecting to the
 * listening address, a connection another generation would accept: here the acceptor is woken by
 * closing the channel or by the endpoint's stop).
 *
 * <p>The acceptor accepts only after {@link #startAccepting()}; until then connections wait in the
 * socket's queue, where the serving generation takes them. {@link #stopAccepting()} closes the channel:
 * an accept that completed at that instant is served as any other, and {@link #isAcceptQuiet()} says
 * when every accepted socket has reached the poller, so that a drain does not end before it is served.
 *
 * <p>Thread-safe: the acceptor, worker and drainer threads use it concurrently; {@code gate} is the
 * monitor the acceptor waits on.
 */
final class ListenerEndpoint extends NioEndpoint {

    private static final long WAIT_TICK_MILLIS = 10;

    private final Object gate = new Object();
    private final AtomicInteger inAccept = new AtomicInteger();
    private final Set<SocketChannel> registering = ConcurrentHashMap.newKeySet();
    private volatile ServerSocketChannel listener;
    private volatile boolean accepting;
    private volatile boolean stoppedAccepting;

    /** Gives the endpoint the channel to accept on; call it before the connector starts. */
    void useListener(ServerSocketChannel channel) {
        this.listener = channel;
    }

    ServerSocketChannel listener() {
        return listener;
    }

    @Override
    protected void initServerSocket() throws IOException {
        ServerSocketChannel channel = listener;
        if (channel == null) {
            throw new IllegalStateException("the Baton Tomcat connector " + getName() + " was given no listener;"
                    + " it is set up by the Baton auto-configuration (BatonTomcatCustomizer), not by hand");
        }
        if (!channel.isOpen()) {
            throw new IOException("the Baton listener " + channel + " is closed: a drained connector cannot start again");
        }
        if (!channel.isBlocking()) {
            throw new IllegalStateException("the Baton listener " + channel + " is in non-blocking mode;"
                    + " Tomcat's acceptor needs a blocking accept");
        }
    }

    @Override
    protected NetworkChannel getServerSocket() {
        return listener;
    }

    /** Lets the acceptor accept. */
    void startAccepting() {
        synchronized (gate) {
            accepting = true;
            gate.notifyAll();
        }
    }

    /**
     * Stops accepting for now (the probation after a successor is ready): the acceptor waits at the gate
     * before its next {@code accept}; {@link #startAccepting()} lets it go again.
     */
    void pauseAccepting() {
        synchronized (gate) {
            accepting = false;
            gate.notifyAll();
        }
    }

    /**
     * Stops accepting for good: closes this process's copy of the listener (which wakes an acceptor
     * blocked in {@code accept}); other holders of the socket go on accepting.
     */
    void stopAccepting() throws IOException {
        synchronized (gate) {
            stoppedAccepting = true;
            gate.notifyAll();
        }
        ServerSocketChannel channel = listener;
        if (channel != null) {
            channel.close();
        }
    }

    /** Whether no acceptor is inside {@code accept} and every socket accepted so far reached the poller. */
    boolean isAcceptQuiet() {
        // Read the acceptor first: an accepted socket joins `registering` before it leaves accept.
        return inAccept.get() == 0 && registering.isEmpty();
    }

    @Override
    protected SocketChannel serverSocketAccept() throws Exception {
        awaitAcceptingOrStop();
        inAccept.incrementAndGet();
        try {
            SocketChannel accepted = listener.accept();
            registering.add(accepted);
            return accepted;
        } catch (ClosedChannelException e) {
            if (!stoppedAccepting) {
                throw e;
            }
        } finally {
            inAccept.decrementAndGet();
        }
        // Closed by stopAccepting: wait for the endpoint's stop rather than spin on a closed channel.
        awaitAcceptingOrStop();
        throw new ClosedChannelException();
    }

    /**
     * Parks the acceptor until it may accept, or returns by throwing once the endpoint stops running
     * (Tomcat's acceptor then ends quietly, where an exception while running would be logged as an error).
     */
    private void awaitAcceptingOrStop() throws InterruptedException, ClosedChannelException {
        synchronized (gate) {
            while (!accepting || stoppedAccepting) {
                if (!isRunning()) {
                    throw new ClosedChannelException();
                }
                gate.wait(WAIT_TICK_MILLIS);
            }
        }
    }

    @Override
    protected boolean setSocketOptions(SocketChannel socket) {
        try {
            return super.setSocketOptions(socket);
        } finally {
            registering.remove(socket);
        }
    }

    @Override
    protected void destroySocket(SocketChannel socket) {
        try {
            super.destroySocket(socket);
        } finally {
            registering.remove(socket);
        }
    }

    @Override
    protected void unlockAccept() {
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    @Override
    protected void doCloseServerSocket() throws IOException {
        ServerSocketChannel channel = listener;
        if (channel != null) {
            channel.close();
        }
    }
}
