package dev.baton;

import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.os.Descriptor;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.StandardOutput;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.protocol.Message.ProcessInfo;
import dev.baton.internal.service.WritableDescriptor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/**
 * Watches a successor's predecessor between the handover and ready(): the predecessor says nothing on
 * the connection meanwhile, so the connection turning readable means it closed. If the predecessor is
 * dead, this process's standard output and error (a pipe the predecessor relayed) are moved at once onto
 * the predecessor's own, received with the handover, so that no line is written into a pipe nobody reads.
 *
 * <p>Concurrency: one platform thread ({@code baton-predecessor-watch}) waits in {@code poll}; {@link #stop}
 * wakes it and joins it, after which the caller alone touches the link. The streams move under this
 * object's monitor, once.
 */
final class PredecessorWatch {

    private static final Logger LOG = System.getLogger(PredecessorLink.class.getName());
    private static final Duration FOREVER = Duration.ofMillis(Integer.MAX_VALUE);

    private final ControlChannel channel;
    private final ProcessInfo predecessor;
    private final OldGenerations.Liveness liveness;
    private final HandoverDescriptors received;
    private final Descriptor wake;
    private final Thread thread;
    private boolean stopped; // guarded by this
    private String died; // guarded by this
    private boolean streamsAdopted; // guarded by this

    private PredecessorWatch(ControlChannel channel, ProcessInfo predecessor, OldGenerations.Liveness liveness,
            HandoverDescriptors received, Descriptor wake) {
        this.channel = channel;
        this.predecessor = predecessor;
        this.liveness = liveness;
        this.received = received;
        this.wake = wake;
        this.thread = Thread.ofPlatform().daemon().name("baton-predecessor-watch").unstarted(this::run);
    }

    static PredecessorWatch start(ControlChannel channel, ProcessInfo predecessor, OldGenerations.Liveness liveness,
            HandoverDescriptors received) throws SystemCallException {
        PredecessorWatch watch = new PredecessorWatch(channel, predecessor, liveness, received,
                Descriptor.own(Descriptors.newEventFd(), "the predecessor watch's eventfd"));
        watch.thread.start();
        return watch;
    }

    private void run() {
        int ready;
        try {
            ready = Descriptors.awaitReadable(new int[] {channel.descriptor(), wake.number()}, FOREVER);
        } catch (SystemCallException e) {
            LOG.log(Level.DEBUG, () -> "no longer watching the predecessor: " + e.getMessage());
            return;
        }
        if (ready != 0 || !awaitGone()) {
            return; // stopped, or the predecessor broke off and lives: ready() finds out
        }
        synchronized (this) {
            if (stopped) {
                return;
            }
            died = "died during the handover, before this generation was ready";
            try {
                adoptStandardStreams();
                LOG.log(Level.WARNING, "the predecessor pid " + predecessor.pid() + " (generation "
                        + predecessor.generation() + ") died during the handover; this process's output goes to "
                        + "its standard output and error now, and ready() takes over without it");
            } catch (IOException e) {
                LOG.log(Level.WARNING, "the predecessor pid " + predecessor.pid() + " died; cannot move this "
                        + "process's output onto its standard streams: " + e.getMessage());
            }
        }
    }

    /** Whether the predecessor is gone (waiting a little, see {@link PredecessorLink#awaitGone}). */
    boolean awaitGone() {
        return PredecessorLink.awaitGone(predecessor, liveness);
    }

    /**
     * Stops watching and waits for the watch thread to end; idempotent.
     *
     * @return how the predecessor died, if the watch saw it die
     */
    Optional<String> stop() {
        synchronized (this) {
            if (!stopped) {
                stopped = true;
                try {
                    Descriptors.signalEventFd(wake.number());
                } catch (SystemCallException e) {
                    LOG.log(Level.WARNING, "cannot wake the predecessor watch: " + e.getMessage());
                }
            }
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        wake.close();
        synchronized (this) {
            return Optional.ofNullable(died);
        }
    }

    /**
     * Puts {@code handed} (one of the predecessor's standard streams) at {@code fd}, or {@code /dev/null} if the
     * predecessor did not have it open for writing: a JVM started with stdout closed holds a file it reads
     * there (the JDK's lib/modules), which no output may go to.
     */
    private static void adoptOnto(int handed, int fd) throws IOException {
        if (WritableDescriptor.isOpenForWriting("self", handed)) {
            Descriptors.duplicateOnto(handed, fd);
        } else {
            StandardOutput.moveOnto(StandardOutput.openNullDevice(), fd);
        }
    }

    /**
     * Points this process's standard output and error where the predecessor's go (a terminal, a journal,
     * a file) instead of the pipes the predecessor read until now, so they outlive it; once.
     */
    synchronized void adoptStandardStreams() throws IOException {
        if (streamsAdopted) {
            return;
        }
        System.out.flush();
        System.err.flush();
        adoptOnto(received.stdout().number(), 1);
        adoptOnto(received.stderr().number(), 2);
        received.stdout().close();
        received.stderr().close();
        streamsAdopted = true;
    }
}
