package dev.baton;

import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.Envelope;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.Message.Handover;
import dev.baton.internal.protocol.Message.ListenerSpec;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A successor's side of the handover: connects to the predecessor's control socket, receives the
 * listeners, the control socket and the predecessor's standard output and error, and later says it
 * is ready.
 *
 * <p>The predecessor starts its successor with {@value #SOCKET_VARIABLE} and {@value #PID_VARIABLE}
 * in the environment; a process whose parent is not that pid ignores them (they were inherited by
 * mistake), so only the spawned successor hands itself over.
 */
final class PredecessorLink implements AutoCloseable {

    static final String SOCKET_VARIABLE = "BATON_UPGRADE_SOCKET";
    static final String PID_VARIABLE = "BATON_UPGRADE_PID";

    private static final Logger LOG = System.getLogger(PredecessorLink.class.getName());

    private final ControlChannel channel;
    private final Path controlPath;
    private final long predecessorPid;
    private final Handover handover;
    private final List<InheritedListener> listeners;
    private int controlFd;
    private int stdoutFd;
    private int stderrFd;

    private PredecessorLink(ControlChannel channel, Path controlPath, long predecessorPid, Handover handover,
            int[] fds) {
        this.channel = channel;
        this.controlPath = controlPath;
        this.predecessorPid = predecessorPid;
        this.handover = handover;
        List<InheritedListener> inherited = new ArrayList<>();
        List<ListenerSpec> specs = handover.listeners();
        for (int i = 0; i < specs.size(); i++) {
            inherited.add(new InheritedListener(specs.get(i).name(), specs.get(i).address(), fds[i]));
        }
        this.listeners = List.copyOf(inherited);
        this.controlFd = fds[specs.size()];
        this.stdoutFd = fds[specs.size() + 1];
        this.stderrFd = fds[specs.size() + 2];
    }

    /**
     * Takes over from the predecessor named in the environment, if this process is its successor.
     *
     * @throws IOException if the predecessor cannot be reached or refuses; the successor must exit
     */
    static Optional<PredecessorLink> connect(ProcessEnvironment environment, Duration timeout) throws IOException {
        String socket = environment.variables().get(SOCKET_VARIABLE);
        String parent = environment.variables().get(PID_VARIABLE);
        if (socket == null || parent == null) {
            return Optional.empty();
        }
        long pid = environment.pid();
        long parentPid = environment.parentPid();
        if (!parent.strip().equals(Long.toString(parentPid))) {
            LOG.log(Level.WARNING, "ignoring " + SOCKET_VARIABLE + ": it is meant for a child of pid " + parent
                    + ", and this process's parent is pid " + parentPid);
            return Optional.empty();
        }
        Path path = Path.of(socket);
        ControlChannel channel = ControlChannel.connect(path, timeout);
        try {
            channel.send(new Message.HandoverRequest(pid));
            Envelope reply = channel.receive(timeout);
            return switch (reply.message()) {
                case Handover handover -> Optional.of(new PredecessorLink(channel, path, parentPid, handover,
                        reply.fds()));
                case Message.Refused refused -> throw new IOException("the predecessor (pid " + parentPid
                        + ") refused the handover: " + refused.reason());
                case Message other -> {
                    ControlChannel.closeAll(reply.fds());
                    throw new IOException("the predecessor (pid " + parentPid + ") answered the handover with "
                            + other.getClass().getSimpleName());
                }
            };
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Handover handover() {
        return handover;
    }

    List<InheritedListener> listeners() {
        return listeners;
    }

    Path controlPath() {
        return controlPath;
    }

    long predecessorPid() {
        return predecessorPid;
    }

    /** What a successor takes from its predecessor once that agreed to its ready. */
    record TakenOver(int controlFd, List<Message.ProcessInfo> draining, long predecessorPid,
            ServiceStatus.Figures figures) {}

    /**
     * The successor's last step of the handover: says ready, waits for the predecessor to agree, takes
     * over its standard streams and the control socket, and ends the conversation.
     *
     * @param claimed the names of the listeners this generation uses
     * @throws IOException if the predecessor refused or is gone; this generation must not serve (the link
     *     is closed either way)
     */
    TakenOver takeOver(List<String> claimed, Duration timeout) throws IOException {
        try {
            ServiceStatus.Figures figures = ready(claimed, timeout);
            adoptStandardStreams();
            TakenOver taken = new TakenOver(controlFd, handover.draining(), predecessorPid, figures);
            controlFd = -1;
            return taken;
        } finally {
            close();
        }
    }

    /**
     * Tells the predecessor this generation is ready and waits for it to agree; returns the service's figures
     * it hands on.
     *
     * @throws IOException if it refuses (it gave up waiting) or is gone; this generation must not serve
     */
    private ServiceStatus.Figures ready(List<String> claimed, Duration timeout) throws IOException {
        Message reply = channel.request(new Message.ReadyNotice(claimed), timeout);
        return switch (reply) {
            case Message.ReadyAck ack -> ack.figures();
            case Message.Refused refused -> throw new IOException("the predecessor (pid " + predecessorPid
                    + ") refused this generation's ready: " + refused.reason());
            default -> throw new IOException("the predecessor (pid " + predecessorPid + ") answered ready with "
                    + reply.getClass().getSimpleName());
        };
    }

    /**
     * Points this process's standard output and error where the predecessor's go (a terminal, a
     * journal, a file) instead of the pipes the predecessor read until now, so they outlive it.
     */
    private void adoptStandardStreams() throws IOException {
        System.out.flush();
        System.err.flush();
        Descriptors.duplicateOnto(stdoutFd, 1);
        Descriptors.duplicateOnto(stderrFd, 2);
        Descriptors.closeQuietly(stdoutFd);
        Descriptors.closeQuietly(stderrFd);
        stdoutFd = -1;
        stderrFd = -1;
        assert FileDescriptor.out.valid();
    }

    /** Ends the conversation and closes whatever was received and not taken. */
    @Override
    public void close() {
        channel.close();
        for (int fd : new int[] {controlFd, stdoutFd, stderrFd}) {
            if (fd >= 0) {
                Descriptors.closeQuietly(fd);
            }
        }
        controlFd = -1;
        stdoutFd = -1;
        stderrFd = -1;
    }
}
