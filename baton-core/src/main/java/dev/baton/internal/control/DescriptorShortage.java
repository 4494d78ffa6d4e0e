package dev.baton.internal.control;

import dev.baton.internal.os.Descriptor;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.protocol.Message;
import java.io.IOException;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * How the control server lives through descriptor exhaustion (EMFILE): the case of a leaking server
 * that Baton exists to recover, where the control socket must stay usable.
 *
 * <p>An {@code accept} that fails with EMFILE leaves the connection queued and the listening socket
 * readable, so a poller that simply retried would spin. Instead, as libuv and nginx do: a spare
 * descriptor held from the start is closed to make room, the waiting connection is accepted and told
 * why it cannot be served, the spare is taken again, and the poller stops watching the listening
 * socket for a while (50 ms, doubling to 1 s) before it tries again. Connections that arrive meanwhile
 * wait in the socket's queue; once descriptors free up, they are served as usual.
 *
 * <p>Belongs to the control server's poller thread alone.
 */
final class DescriptorShortage implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ControlServer.class.getName());
    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

    private final String logPrefix;
    private Descriptor spare; // closed while none could be taken again
    private Duration pause = FIRST_PAUSE;
    private long acceptAgainNanos;
    private final RateLimitedWarning warning = new RateLimitedWarning(LOG, RateLimitedWarning.INTERVAL, System::nanoTime);

    DescriptorShortage(String logPrefix) throws SystemCallException {
        this.logPrefix = logPrefix;
        this.spare = spareDescriptor();
    }

    /** Whether the listening socket may be watched now, or the poller is still backing off. */
    boolean mayAccept(long nowNanos) {
        return nowNanos - acceptAgainNanos >= 0;
    }

    /** How long until {@link #mayAccept} turns true again (zero if it is). */
    Duration untilAcceptAgain(long nowNanos) {
        return Duration.ofNanos(Math.max(0, acceptAgainNanos - nowNanos));
    }

    /** An accept succeeded: the shortage, if any, is over. */
    void accepted() {
        pause = FIRST_PAUSE;
    }

    /**
     * {@code accept} on {@code listenFd} failed for lack of descriptors: tells the waiting client why,
     * if the spare descriptor makes room for it, and backs off.
     */
    void shed(int listenFd, Duration ioTimeout, SystemCallException.TooManyOpenFiles cause, long nowNanos) {
        if (spare.isOpen()) {
            spare.close();
            refuseOne(listenFd, ioTimeout);
            try {
                spare = spareDescriptor();
            } catch (SystemCallException e) {
                // still none free: the spare stays closed, taken again at the next shortage
            }
        }
        warning.warn(logPrefix + "out of file descriptors (" + cause.getMessage() + "): a control connection "
                + "was told so; accepting again in " + pause.toMillis() + " ms. The service serves on; close "
                + "descriptors (or raise its limit, LimitNOFILE=) and reload");
        acceptAgainNanos = nowNanos + pause.toNanos();
        pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
    }

    private static void refuseOne(int listenFd, Duration ioTimeout) {
        OptionalInt accepted;
        try {
            accepted = Sockets.accept(listenFd);
        } catch (SystemCallException e) {
            return; // someone else took the freed descriptor; the client waits in the queue
        }
        if (accepted.isEmpty()) {
            return;
        }
        Descriptor connection = Descriptor.own(accepted.getAsInt(), "a control connection refused for lack of descriptors");
        ControlChannel channel;
        try {
            channel = ControlChannel.of(connection, ioTimeout);
        } catch (SystemCallException e) {
            connection.close();
            return;
        }
        try (channel) {
            channel.send(new Message.Refused(Refusals.outOfDescriptors()));
        } catch (IOException e) {
            // the client left; it was a refusal anyway
        }
    }

    private static Descriptor spareDescriptor() throws SystemCallException {
        return Descriptor.own(Descriptors.newEventFd(), "the control server's spare descriptor");
    }

    @Override
    public void close() {
        spare.close();
    }
}
