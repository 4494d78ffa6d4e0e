package dev.baton;

import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.Envelope;
import dev.baton.internal.os.Descriptor;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.Message.Handover;
import dev.baton.internal.protocol.Message.ListenerSpec;
import dev.baton.internal.protocol.Message.ProcessInfo;
import dev.baton.internal.service.PredecessorOutput;
import java.io.IOException;
import java.io.Serial;
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
 * <p>The predecessor starts its successor with {@value #SOCKET_VARIABLE}, {@value #PID_VARIABLE} and the
 * variables that name it (its generation, start time, and when it launched the successor) in the
 * environment; a process whose parent is not that pid ignores them (they were inherited by mistake),
 * unless the predecessor is dead and this process started as it launched its successor: then the
 * predecessor died before the handover ({@link PredecessorGone}).
 *
 * <p>A predecessor that dies after the handover is taken over from: {@link PredecessorWatch} notices at
 * once and moves this process's output onto the predecessor's own standard streams (its relay died with
 * it), and {@link #takeOver} then serves without its agreement.
 */
final class PredecessorLink implements AutoCloseable {

    static final String SOCKET_VARIABLE = "BATON_UPGRADE_SOCKET";
    static final String PID_VARIABLE = "BATON_UPGRADE_PID";
    static final String GENERATION_VARIABLE = "BATON_UPGRADE_GENERATION";
    static final String STARTED_VARIABLE = "BATON_UPGRADE_STARTED";
    static final String LAUNCHED_VARIABLE = "BATON_UPGRADE_LAUNCHED";
    /** What the predecessor's stdout and stderr are ({@code /proc/self/fd/1}, {@code 2}), see {@link PredecessorOutput}. */
    static final String STDOUT_VARIABLE = "BATON_UPGRADE_STDOUT";
    static final String STDERR_VARIABLE = "BATON_UPGRADE_STDERR";

    /** How long after its launch a process may start and still be the one launched (a fork takes ms). */
    private static final long LAUNCH_TOLERANCE_MILLIS = 2_000;
    /** How long a predecessor whose connection broke may take to be seen gone (its exit closes sockets first). */
    static final Duration DEATH_GRACE = Duration.ofSeconds(2);

    private static final Logger LOG = System.getLogger(PredecessorLink.class.getName());

    private final ControlChannel channel;
    private final Path controlPath;
    private final ProcessInfo predecessor;
    private final Handover handover;
    private final List<InheritedListener> listeners;
    private final HandoverDescriptors received;
    private final PredecessorWatch watch;

    private PredecessorLink(ControlChannel channel, Path controlPath, ProcessInfo predecessor, Handover handover,
            HandoverDescriptors received, OldGenerations.Liveness liveness) throws IOException {
        this.channel = channel;
        this.controlPath = controlPath;
        this.predecessor = predecessor;
        this.handover = handover;
        this.received = received;
        List<InheritedListener> inherited = new ArrayList<>();
        List<ListenerSpec> specs = handover.listeners();
        for (int i = 0; i < specs.size(); i++) {
            inherited.add(new InheritedListener(specs.get(i).name(), specs.get(i).address(),
                    received.listeners().get(i)));
        }
        this.listeners = List.copyOf(inherited);
        this.watch = PredecessorWatch.start(channel, predecessor, liveness, received);
    }

    /**
     * The predecessor died before it handed over its streams: this process's output moves off the pipes it
     * relayed, onto the streams it named at launch, before anything more is logged.
     */
    private static PredecessorGone gone(ProcessEnvironment environment, ProcessInfo named, String why) {
        List<String> moved = PredecessorOutput.adopt(environment.variables().get(STDOUT_VARIABLE),
                environment.variables().get(STDERR_VARIABLE));
        if (!moved.isEmpty()) {
            LOG.log(Level.WARNING, "the predecessor pid " + named.pid() + " " + why + "; this process's output moved "
                    + "off the pipes it relayed: " + String.join(", ", moved));
        }
        return new PredecessorGone(named, why);
    }

    /** The predecessor named in the environment died before it handed anything over. */
    static final class PredecessorGone extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient ProcessInfo predecessor;

        PredecessorGone(ProcessInfo predecessor, String why) {
            super("the predecessor pid " + predecessor.pid() + " (generation " + predecessor.generation() + ") "
                    + why);
            this.predecessor = predecessor;
        }

        ProcessInfo predecessor() {
            return predecessor;
        }
    }

    /**
     * Takes over from the predecessor named in the environment, if this process is its successor.
     *
     * @throws PredecessorGone if it died before the handover; this process serves on its own
     * @throws IOException if the predecessor cannot be reached or refuses; the successor must exit
     */
    static Optional<PredecessorLink> connect(ProcessEnvironment environment, Duration timeout,
            OldGenerations.Liveness liveness) throws IOException {
        String socket = environment.variables().get(SOCKET_VARIABLE);
        String parent = environment.variables().get(PID_VARIABLE);
        if (socket == null || parent == null) {
            return Optional.empty();
        }
        ProcessInfo named = predecessorNamed(environment.variables(), parent);
        long parentPid = environment.parentPid();
        if (named == null || named.pid() != parentPid) {
            if (named != null && launchedAs(environment) && !liveness.isRunning(named)) {
                throw gone(environment, named, "died before this successor reached it");
            }
            LOG.log(Level.WARNING, "ignoring " + SOCKET_VARIABLE + ": it is meant for a child of pid " + parent
                    + ", and this process's parent is pid " + parentPid);
            return Optional.empty();
        }
        Path path = Path.of(socket);
        ControlChannel channel;
        try {
            channel = ControlChannel.connect(path, timeout);
        } catch (IOException e) {
            if (awaitGone(named, liveness)) {
                throw gone(environment, named, "died before this successor reached it (" + e.getMessage() + ")");
            }
            throw e;
        }
        Envelope reply;
        try {
            channel.send(new Message.HandoverRequest(environment.pid()));
            reply = channel.receive(timeout);
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (e instanceof IOException && awaitGone(named, liveness)) {
                throw gone(environment, named, "died before it handed over its listeners (" + e.getMessage() + ")");
            }
            throw e;
        }
        try {
            return switch (reply.message()) {
                case Handover handover -> Optional.of(new PredecessorLink(channel, path, named, handover,
                        HandoverDescriptors.received(reply.fds(), handover.listeners().size()), liveness));
                case Message.Refused refused -> throw new IOException("the predecessor (pid " + parentPid
                        + ") refused the handover: " + refused.reason());
                case Message other -> {
                    reply.closeDescriptors();
                    throw new IOException("the predecessor (pid " + parentPid + ") answered the handover with "
                            + other.getClass().getSimpleName());
                }
            };
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The predecessor as the environment names it, or null if the variables are not a Baton predecessor's. */
    private static ProcessInfo predecessorNamed(java.util.Map<String, String> variables, String pid) {
        try {
            int generation = Integer.parseInt(variables.getOrDefault(GENERATION_VARIABLE, "0").strip());
            long started = Long.parseLong(variables.getOrDefault(STARTED_VARIABLE, "0").strip());
            return new ProcessInfo(Long.parseLong(pid.strip()), generation,
                    ServiceStatus.State.UPGRADING.toString(), started);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether this process started as its predecessor launched a successor: it is that successor. */
    private static boolean launchedAs(ProcessEnvironment environment) {
        try {
            long launched = Long.parseLong(environment.variables().getOrDefault(LAUNCHED_VARIABLE, "").strip());
            return Math.abs(environment.startedEpochMillis() - launched) <= LAUNCH_TOLERANCE_MILLIS;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Whether {@code predecessor} is gone, waiting up to {@link #DEATH_GRACE}: a killed process closes its
     * sockets before it becomes a zombie, so a broken connection may come a moment before its death shows.
     */
    static boolean awaitGone(ProcessInfo predecessor, OldGenerations.Liveness liveness) {
        long deadline = System.nanoTime() + DEATH_GRACE.toNanos();
        while (liveness.isRunning(predecessor)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10); // a bounded wait on a fault path; no event tells a non-child's exit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
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
        return predecessor.pid();
    }

    /**
     * What a successor takes from its predecessor once that agreed to its ready, or died.
     *
     * @param predecessorDied how the predecessor died during the handover, or empty if it agreed
     * @param figures the service's figures the predecessor handed on ({@link ServiceStatus.Figures#NONE} if it died)
     */
    record TakenOver(Descriptor control, List<ProcessInfo> draining, long predecessorPid,
            Optional<String> predecessorDied, ServiceStatus.Figures figures) {}

    /** The predecessor's answer to ready: the figures it handed on, or how it died. */
    private record Answer(Optional<String> died, ServiceStatus.Figures figures) {
        static Answer diedBecause(String why) {
            return new Answer(Optional.of(why), ServiceStatus.Figures.NONE);
        }
    }

    /**
     * The successor's last step of the handover: says ready, waits for the predecessor to agree, takes
     * over its standard streams and the control socket, and ends the conversation. If the predecessor died
     * on the way, takes them over without its agreement.
     *
     * @param claimed the names of the listeners this generation uses
     * @throws IOException if the predecessor refused, or broke off and still runs; this generation must not
     *     serve (the link is closed either way)
     */
    TakenOver takeOver(List<String> claimed, Duration timeout, String logPrefix) throws IOException {
        try {
            Optional<String> seenDead = watch.stop();
            Answer answer = seenDead.isPresent() ? Answer.diedBecause(seenDead.get()) : sayReady(claimed, timeout);
            Optional<String> died = answer.died();
            died.ifPresent(why -> LOG.log(Level.WARNING, logPrefix + "the predecessor pid " + predecessor.pid()
                    + " (generation " + predecessor.generation() + ") " + why + "; taking over without it: "
                    + "serving on its listeners and control socket, writing to its standard output and error"));
            watch.adoptStandardStreams();
            List<ProcessInfo> draining = handover.draining().stream()
                    .filter(old -> died.isEmpty() || old.pid() != predecessor.pid()).toList();
            return new TakenOver(Descriptor.own(received.control().release(), "the control socket"), draining,
                    predecessor.pid(), died, answer.figures());
        } finally {
            close();
        }
    }

    /**
     * Tells the predecessor this generation is ready and waits for it to agree; returns the service's figures
     * it hands on.
     *
     * @return how the predecessor died, if the conversation broke off because it is gone
     * @throws IOException if it refuses (it gave up waiting), or broke off and still runs; this generation
     *     must not serve
     */
    private Answer sayReady(List<String> claimed, Duration timeout) throws IOException {
        Message reply;
        try {
            reply = channel.request(new Message.ReadyNotice(claimed), timeout);
        } catch (IOException e) {
            if (!watch.awaitGone()) {
                throw e;
            }
            return Answer.diedBecause("died as this generation said ready (" + e.getMessage() + ")");
        }
        return switch (reply) {
            case Message.ReadyAck ack -> new Answer(Optional.empty(), ack.figures());
            case Message.Refused refused -> throw new IOException("the predecessor (pid " + predecessor.pid()
                    + ") refused this generation's ready: " + refused.reason());
            default -> throw new IOException("the predecessor (pid " + predecessor.pid() + ") answered ready with "
                    + reply.getClass().getSimpleName());
        };
    }

    /** Ends the conversation and closes whatever was received and not taken. */
    @Override
    public void close() {
        watch.stop();
        channel.close();
        received.close();
    }

}
