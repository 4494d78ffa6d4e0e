package dev.baton.internal.control;

import dev.baton.internal.os.Descriptor;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.os.Processes;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.protocol.Message;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accepts control connections on a listening socket and hands each request to a {@link Handler}.
 *
 * <p>Threads: one platform thread, the poller, waits in {@code poll} on the listening socket, an eventfd
 * and every connection that has not sent its request yet; it accepts, checks the peer, reads the request
 * once it has arrived, and refuses a connection that sends nothing within the I/O timeout. A request is
 * then served on one of {@value #WORKERS} platform threads, except a {@link Message.HandoverRequest},
 * which gets a platform thread of its own, so that a successor never waits behind other clients. No
 * control connection runs on a virtual thread: a foreign {@code poll} would pin its carrier and could
 * starve the application's virtual threads. At most {@value #MAX_CONNECTIONS} connections are open at
 * once; past that, a new one is refused.
 *
 * <p>Only a peer of this process's user, or root, is served; others get a refusal naming their uid. The
 * listening socket may be shared with another generation: this server only ever closes its own
 * descriptor, never shuts the socket down.
 *
 * <p>Concurrency: {@code lock} guards {@code mode}, {@code pollerIdle} and {@code wakeClosed}; the list
 * of connections waiting for their request belongs to the poller thread alone. {@link #pause()} returns
 * only once the poller has stopped accepting, so that a generation handing over can stop accepting
 * control connections before it commits, and {@link #resume()} if it does not.
 */
public final class ControlServer implements AutoCloseable {

    /** Serves one request; replies on {@code channel}; the server closes the channel afterwards. */
    @FunctionalInterface
    public interface Handler {
        void handle(ControlChannel channel, PeerCredentials peer, Message request) throws IOException;
    }

    /** The most control connections open at once. */
    public static final int MAX_CONNECTIONS = 32;
    /** The platform threads that serve requests other than a handover. */
    public static final int WORKERS = 4;

    private static final Logger LOG = System.getLogger(ControlServer.class.getName());
    private static final Duration IDLE_POLL = Duration.ofDays(1);

    private final int listenFd;
    private final int wakeFd;
    private final Handler handler;
    private final Duration ioTimeout;
    private final String logPrefix;
    private final CountDownLatch listenerClosed = new CountDownLatch(1);
    private final Thread poller;
    private final ThreadPoolExecutor workers;
    private final AtomicInteger open = new AtomicInteger();
    private final List<Waiting> waiting = new ArrayList<>(); // the poller's alone
    private final DescriptorShortage shortage; // the poller's alone
    private final RateLimitedWarning malformed = new RateLimitedWarning(LOG, RateLimitedWarning.INTERVAL, System::nanoTime);
    private final RateLimitedWarning overLimit = new RateLimitedWarning(LOG, RateLimitedWarning.INTERVAL, System::nanoTime);
    private final RateLimitedWarning noThread = new RateLimitedWarning(LOG, RateLimitedWarning.INTERVAL, System::nanoTime);
    private final RateLimitedWarning hungUp =
            new RateLimitedWarning(LOG, Level.INFO, RateLimitedWarning.INTERVAL, System::nanoTime);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Mode mode = Mode.ACCEPTING;
    private boolean pollerIdle;
    private boolean wakeClosed;

    private enum Mode { ACCEPTING, PAUSED, CLOSED }

    /** An accepted connection whose request has not arrived yet, and when it is refused if none has. */
    private record Waiting(ControlChannel channel, PeerCredentials peer, long deadlineNanos) {}

    private ControlServer(int listenFd, Handler handler, Duration ioTimeout, String logPrefix,
            ThreadFactory workerThreads) throws IOException {
        this.listenFd = listenFd;
        this.wakeFd = Descriptors.newEventFd();
        try {
            this.shortage = new DescriptorShortage(logPrefix);
        } catch (SystemCallException e) {
            Descriptors.closeQuietly(wakeFd);
            throw e;
        }
        this.handler = handler;
        this.ioTimeout = ioTimeout;
        this.logPrefix = logPrefix;
        this.poller = Thread.ofPlatform().daemon().name("baton-control").unstarted(this::pollLoop);
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                workerThreads);
        this.workers.allowCoreThreadTimeOut(true);
    }

    /**
     * Starts serving on {@code listenFd}, which this server now owns and closes when it stops.
     *
     * @param ioTimeout how long a client may take to send its request, and the bound of every send
     * @param logPrefix prefixed to every log line, such as {@code "[gen 2 pid 4711] "}
     */
    public static ControlServer start(int listenFd, Handler handler, Duration ioTimeout, String logPrefix)
            throws IOException {
        return start(listenFd, handler, ioTimeout, logPrefix, Thread.ofPlatform().daemon().name("baton-control-", 1)
                .factory());
    }

    /** {@link #start(int, Handler, Duration, String)} with the workers' threads from {@code workerThreads}. */
    static ControlServer start(int listenFd, Handler handler, Duration ioTimeout, String logPrefix,
            ThreadFactory workerThreads) throws IOException {
        ControlServer server = new ControlServer(listenFd, handler, ioTimeout, logPrefix, workerThreads);
        server.poller.start();
        return server;
    }

    /** The listening descriptor, to hand to a successor; valid until {@link #close()}. */
    public int descriptor() {
        return listenFd;
    }

    /**
     * Stops taking connections, keeping the descriptor; they wait in the socket's queue for whoever
     * accepts next. Connections already accepted are still served. Returns once the poller accepts no more.
     */
    public void pause() {
        lock.lock();
        try {
            if (mode == Mode.ACCEPTING) {
                mode = Mode.PAUSED;
                pollerIdle = false;
            }
        } finally {
            lock.unlock();
        }
        wake();
        lock.lock();
        try {
            while (!pollerIdle && poller.isAlive() && mode == Mode.PAUSED) {
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
        lock.lock();
        try {
            if (mode == Mode.PAUSED) {
                mode = Mode.ACCEPTING;
                pollerIdle = false;
            }
        } finally {
            lock.unlock();
        }
        wake();
    }

    /**
     * Stops accepting and closes this process's descriptor of the listening socket. Requests being
     * served go on. Returns once this server's own descriptors are closed (waiting at most 5 s each for the
     * listener and the poller), so that their numbers are free. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            mode = Mode.CLOSED;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        wake();
        if (Thread.currentThread() != poller) {
            try {
                listenerClosed.await(5, TimeUnit.SECONDS);
                // and its wake eventfd and spare descriptor: once close() returns, their numbers are free
                poller.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Wakes the poller, unless it is gone: its eventfd's number may belong to another descriptor by now. */
    private void wake() {
        lock.lock();
        try {
            if (!wakeClosed) {
                Descriptors.signalEventFd(wakeFd);
            }
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot wake the control poller: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** The mode the poller acts on now; tells {@link #pause()} when it no longer accepts. */
    private Mode observeMode() {
        lock.lock();
        try {
            if (mode != Mode.ACCEPTING && !pollerIdle) {
                pollerIdle = true;
                changed.signalAll();
            }
            return mode;
        } finally {
            lock.unlock();
        }
    }

    private void pollLoop() {
        boolean listening = true;
        try {
            while (true) {
                Mode current = observeMode();
                if (current == Mode.CLOSED && listening) {
                    listening = false;
                    closeListener();
                }
                refuseExpired();
                if (current == Mode.CLOSED && waiting.isEmpty()) {
                    return;
                }
                boolean accept = current == Mode.ACCEPTING && shortage.mayAccept(System.nanoTime());
                int[] fds = new int[1 + waiting.size() + (accept ? 1 : 0)];
                fds[0] = wakeFd;
                for (int i = 0; i < waiting.size(); i++) {
                    fds[1 + i] = waiting.get(i).channel().descriptor();
                }
                if (accept) {
                    fds[fds.length - 1] = listenFd;
                }
                int ready = Descriptors.awaitReadable(fds, untilFirstDeadline());
                if (ready == 0) {
                    Descriptors.clearEventFd(wakeFd);
                } else if (ready > 0 && ready <= waiting.size()) {
                    readRequest(waiting.remove(ready - 1));
                } else if (ready > 0) {
                    acceptOne();
                }
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, logPrefix + "control socket failed; stopped accepting control connections: "
                    + e.getMessage(), e);
        } finally {
            if (listening) {
                closeListener();
            }
            for (Waiting connection : waiting) {
                closeConnection(connection.channel());
            }
            waiting.clear();
            shortage.close();
            lock.lock();
            try {
                Descriptors.closeQuietly(wakeFd);
                wakeClosed = true;
                mode = Mode.CLOSED;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            workers.shutdown(); // what was handed on is still served
        }
    }

    private void closeListener() {
        Descriptors.closeQuietly(listenFd);
        listenerClosed.countDown();
    }

    private Duration untilFirstDeadline() {
        long now = System.nanoTime();
        long wait = shortage.mayAccept(now) ? IDLE_POLL.toNanos() : shortage.untilAcceptAgain(now).toNanos();
        for (Waiting connection : waiting) {
            wait = Math.min(wait, Math.max(0, connection.deadlineNanos() - now));
        }
        return Duration.ofNanos(wait);
    }

    private void refuseExpired() {
        long now = System.nanoTime();
        waiting.removeIf(connection -> {
            if (connection.deadlineNanos() - now > 0) {
                return false;
            }
            refuse(connection, "no control message within " + ioTimeout.toMillis() + " ms");
            return true;
        });
    }

    private void acceptOne() throws IOException {
        Descriptor connection;
        try {
            OptionalInt accepted = Sockets.accept(listenFd);
            if (accepted.isEmpty()) {
                return; // another holder of the socket took it
            }
            connection = Descriptor.own(accepted.getAsInt(), "a control connection");
        } catch (SystemCallException.PeerGone e) {
            return; // the peer gave up before we took its connection
        } catch (SystemCallException.TooManyOpenFiles e) {
            shortage.shed(listenFd, ioTimeout, e, System.nanoTime());
            return;
        }
        shortage.accepted();
        open.incrementAndGet();
        ControlChannel channel;
        PeerCredentials peer;
        try {
            channel = ControlChannel.of(connection, ioTimeout);
        } catch (SystemCallException e) {
            connection.close();
            open.decrementAndGet();
            LOG.log(Level.WARNING, logPrefix + "cannot set up a control connection: " + e.getMessage());
            return;
        }
        try {
            peer = channel.peer();
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot tell who opened a control connection: " + e.getMessage());
            closeConnection(channel);
            return;
        }
        Optional<Admission.Refusal> refusal = Admission.check(peer, Processes.userId(), open.get(), MAX_CONNECTIONS);
        if (refusal.isPresent()) {
            refusal.get().log(LOG, overLimit, logPrefix);
            sendQuietly(channel, new Message.Refused(refusal.get().reason()));
            closeConnection(channel);
            return;
        }
        waiting.add(new Waiting(channel, peer, System.nanoTime() + ioTimeout.toNanos()));
    }

    /** Reads the request that has arrived on {@code connection} and hands it to a serving thread. */
    private void readRequest(Waiting connection) {
        Message request;
        try {
            Envelope received = connection.channel().receive(Duration.ZERO);
            // No request is served with descriptors: those of a well-formed message that carries some (a
            // Handover sent to the wrong end) would stay open in this process for good.
            received.closeDescriptors();
            request = received.message();
        } catch (IOException e) {
            refuse(connection, e.getMessage());
            return;
        }
        Runnable serve = () -> serve(connection.channel(), connection.peer(), request);
        try {
            if (request instanceof Message.HandoverRequest) {
                Thread.ofPlatform().daemon().name("baton-handover").start(serve);
            } else {
                workers.execute(serve);
            }
        } catch (OutOfMemoryError | RuntimeException e) { // "unable to create native thread"; this loop must go on
            String why = "this process cannot start a thread to serve it (" + e.getMessage() + "): it is at its "
                    + "limit of threads or processes (RLIMIT_NPROC, or its cgroup's pids.max); try again once "
                    + "threads are freed";
            noThread.warn(logPrefix + "refused a " + request.getClass().getSimpleName() + " from pid "
                    + connection.peer().pid() + ": " + why);
            sendQuietly(connection.channel(), new Message.Refused(why));
            closeConnection(connection.channel());
        }
    }

    private void serve(ControlChannel channel, PeerCredentials peer, Message request) {
        try {
            handler.handle(channel, peer, request);
        } catch (SystemCallException.PeerGone | EOFException e) {
            // a client that hangs up before its answer (a status poll given up, a killed CLI) is no fault here
            hungUp.warn(logPrefix + "control client pid " + peer.pid() + " hung up before its "
                    + request.getClass().getSimpleName() + " was answered (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, logPrefix + "control connection failed: " + e.getMessage(), e);
        } finally {
            closeConnection(channel);
        }
    }

    private void refuse(Waiting connection, String why) {
        malformed.warn(logPrefix + "refused a control request from pid " + connection.peer().pid() + ": " + why);
        sendQuietly(connection.channel(), new Message.Refused("bad request: " + why));
        closeConnection(connection.channel());
    }

    private void closeConnection(ControlChannel channel) {
        channel.close();
        open.decrementAndGet();
    }

    private static void sendQuietly(ControlChannel channel, Message message) {
        try {
            channel.send(message);
        } catch (IOException ignored) {
            // the peer already left; the refusal was logged
        }
    }
}
