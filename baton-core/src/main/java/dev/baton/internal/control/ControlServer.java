package dev.baton.internal.control;

import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Errno;
import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.os.Processes;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.protocol.Message;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accepts control connections on a listening socket and hands each request to a {@link Handler}.
 *
 * <p>One platform thread waits in {@code poll} on the listening socket and an eventfd; each accepted
 * connection gets a virtual thread. Only a peer of this process's user, or root, is served; others
 * get a refusal naming their uid. The listening socket may be shared with another generation: this
 * server only ever closes its own descriptor, never shuts the socket down.
 *
 * <p>Concurrency: {@code lock} guards {@code mode} and {@code acceptorIdle}. {@link #pause()} returns
 * only once the acceptor has stopped taking connections, so that a generation handing over can stop
 * accepting control connections before it commits, and {@link #resume()} if it does not.
 */
public final class ControlServer implements AutoCloseable {

    /** Serves one request; replies on {@code channel}; the server closes the channel afterwards. */
    @FunctionalInterface
    public interface Handler {
        void handle(ControlChannel channel, PeerCredentials peer, Message request) throws IOException;
    }

    private static final Logger LOG = System.getLogger(ControlServer.class.getName());

    private final int listenFd;
    private final int wakeFd;
    private final Handler handler;
    private final Duration ioTimeout;
    private final String logPrefix;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread acceptor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Mode mode = Mode.ACCEPTING;
    private boolean acceptorIdle;
    private boolean wakeClosed;

    private enum Mode { ACCEPTING, PAUSED, CLOSED }

    private ControlServer(int listenFd, Handler handler, Duration ioTimeout, String logPrefix) throws IOException {
        this.listenFd = listenFd;
        this.wakeFd = Descriptors.newEventFd();
        this.handler = handler;
        this.ioTimeout = ioTimeout;
        this.logPrefix = logPrefix;
        this.acceptor = Thread.ofPlatform().daemon().name("baton-control").unstarted(this::acceptLoop);
    }

    /**
     * Starts serving on {@code listenFd}, which this server now owns and closes when it stops.
     *
     * @param logPrefix prefixed to every log line, such as {@code "[gen 2 pid 4711] "}
     */
    public static ControlServer start(int listenFd, Handler handler, Duration ioTimeout, String logPrefix)
            throws IOException {
        ControlServer server = new ControlServer(listenFd, handler, ioTimeout, logPrefix);
        server.acceptor.start();
        return server;
    }

    /** The listening descriptor, to hand to a successor; valid until {@link #close()}. */
    public int descriptor() {
        return listenFd;
    }

    /**
     * Stops taking connections, keeping the descriptor; they wait in the socket's queue for whoever
     * accepts next. Returns once the acceptor is idle.
     */
    public void pause() {
        setMode(Mode.PAUSED);
        wake();
        lock.lock();
        try {
            while (!acceptorIdle && acceptor.isAlive() && mode == Mode.PAUSED) {
                changed.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Takes connections again after {@link #pause()}. */
    public void resume() {
        setMode(Mode.ACCEPTING);
    }

    /**
     * Stops accepting and closes this process's descriptor of the listening socket. Requests being
     * served go on. Returns once the descriptor is closed (waiting at most 5 s). Idempotent.
     */
    @Override
    public void close() {
        setMode(Mode.CLOSED);
        wake();
        if (Thread.currentThread() != acceptor) {
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void setMode(Mode next) {
        lock.lock();
        try {
            if (mode != Mode.CLOSED) {
                mode = next;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the acceptor, unless it is gone: its eventfd's number may belong to another descriptor by now. */
    private void wake() {
        lock.lock();
        try {
            if (!wakeClosed) {
                Descriptors.signalEventFd(wakeFd);
            }
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot wake the control acceptor: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Waits while paused; returns whether to go on accepting. */
    private boolean awaitAccepting() throws InterruptedException {
        lock.lock();
        try {
            while (mode == Mode.PAUSED) {
                acceptorIdle = true;
                changed.signalAll();
                changed.await();
            }
            acceptorIdle = false;
            return mode == Mode.ACCEPTING;
        } finally {
            lock.unlock();
        }
    }

    private void acceptLoop() {
        try {
            while (awaitAccepting()) {
                int ready = Descriptors.awaitReadable(new int[] {listenFd, wakeFd}, Duration.ofDays(1));
                if (ready == 1) {
                    Descriptors.clearEventFd(wakeFd);
                } else if (ready == 0) {
                    acceptOne();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(Level.ERROR, logPrefix + "control socket failed; stopped accepting control connections: "
                    + e.getMessage(), e);
        } finally {
            Descriptors.closeQuietly(listenFd);
            lock.lock();
            try {
                Descriptors.closeQuietly(wakeFd);
                wakeClosed = true;
                mode = Mode.CLOSED;
            } finally {
                lock.unlock();
            }
            stopped.countDown();
        }
    }

    private void acceptOne() throws IOException {
        int connection;
        try {
            connection = Sockets.accept(listenFd);
        } catch (SystemCallException e) {
            if (e.errno() == Errno.EAGAIN || e.errno() == Errno.ECONNRESET) {
                return; // another holder of the socket took it, or the peer gave up
            }
            throw e;
        }
        Thread.ofVirtual().name("baton-control-connection").start(() -> serve(connection));
    }

    private void serve(int fd) {
        try (ControlChannel channel = ControlChannel.of(fd, ioTimeout)) {
            PeerCredentials peer = channel.peer();
            int self = Processes.userId();
            if (peer.uid() != self && peer.uid() != 0) {
                LOG.log(Level.WARNING, logPrefix + "refused a control connection from pid " + peer.pid() + " uid "
                        + peer.uid() + ": only uid " + self + " or root may control this service");
                channel.send(new Message.Refused("permission denied: uid " + peer.uid()
                        + " may not control this service, which belongs to uid " + self));
                return;
            }
            Message request;
            try {
                request = channel.receiveMessage(ioTimeout);
            } catch (IOException e) {
                LOG.log(Level.WARNING, logPrefix + "refused a control request from pid " + peer.pid() + ": "
                        + e.getMessage());
                sendQuietly(channel, new Message.Refused("bad request: " + e.getMessage()));
                return;
            }
            handler.handle(channel, peer, request);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, logPrefix + "control connection failed: " + e.getMessage(), e);
        }
    }

    private static void sendQuietly(ControlChannel channel, Message message) {
        try {
            channel.send(message);
        } catch (IOException ignored) {
            // the peer already left; the refusal was logged
        }
    }
}
