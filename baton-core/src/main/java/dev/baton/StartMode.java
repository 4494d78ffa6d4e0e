package dev.baton;

import dev.baton.internal.control.ControlSocket;
import dev.baton.internal.control.Refusals;
import dev.baton.internal.os.Descriptor;
import dev.baton.internal.service.SocketActivation;
import dev.baton.internal.service.SocketActivation.PassedSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How this generation started, decided once at {@link Baton#open}: a cold start, the successor of a
 * predecessor, a worker of a Baton supervisor, or socket-activated (systemd passed the listeners). What
 * differs between them (the generation number, the service's name, the listeners inherited, the control
 * socket, whether it may upgrade itself) is answered here, not by checks spread through the lifecycle.
 */
sealed interface StartMode {

    /** The variable a Baton supervisor sets in its workers' environment: its pid. */
    String SUPERVISOR_VARIABLE = "BATON_SUPERVISOR_PID";
    /** The variable a Baton supervisor sets in its workers' environment: the worker's generation. */
    String GENERATION_VARIABLE = "BATON_GENERATION";

    /** Generation 1, binding the control socket; no listener inherited. */
    record ColdStart(Path socketPath, Descriptor control) implements StartMode {}

    /** Generation 1, binding the control socket, with the listeners systemd passed. */
    record SocketActivated(Path socketPath, Descriptor control, List<PassedSocket> passed) implements StartMode {}

    /** The successor of the generation at the other end of {@code link}, which handed it the listeners. */
    record SuccessorOf(PredecessorLink link) implements StartMode {}

    /**
     * A successor whose predecessor died before it handed anything over: it takes the listeners it was
     * started with ({@link HandedListeners}; binds afresh, at once, any it was not), binds the control socket
     * afresh and carries on the generations' count.
     */
    record OrphanedSuccessor(Path socketPath, Descriptor control, PredecessorLink.PredecessorGone gone,
            List<InheritedListener> handed) implements StartMode {}

    /** A worker of the supervisor {@code supervisorPid}: no control socket, never upgrades itself. */
    record SupervisedWorker(String supervisorPid, int generation, List<PassedSocket> passed) implements StartMode {}

    /**
     * Finds out how this process started and takes what it was given: the predecessor's handover, or the
     * passed listeners and a new control socket.
     *
     * @throws IOException if the predecessor cannot be reached, or the control socket cannot be bound
     */
    static StartMode decide(BatonOptions options, ProcessEnvironment environment, OldGenerations.Liveness liveness)
            throws IOException {
        String supervisor = environment.variables().get(SUPERVISOR_VARIABLE);
        if (supervisor != null) {
            return new SupervisedWorker(supervisor, parseGeneration(environment.variables().get(GENERATION_VARIABLE)),
                    SocketActivation.fromEnvironment(environment.variables(), environment.pid()));
        }
        Optional<PredecessorLink> link;
        try {
            link = PredecessorLink.connect(environment, options.controlTimeout(), liveness);
        } catch (PredecessorLink.PredecessorGone gone) {
            // Taken before the control socket is bound: that socket must not land where a handed one was.
            List<InheritedListener> handed = HandedListeners.take(environment.variables());
            try {
                Path controlPath = controlPath(options, environment);
                return new OrphanedSuccessor(controlPath, bindControl(controlPath, options), gone, handed);
            } catch (IOException | RuntimeException e) {
                handed.forEach(listener -> listener.socket().close());
                throw e;
            }
        }
        if (link.isPresent()) {
            HandedListeners.closeAll(environment.variables()); // the handover gave the same sockets
            return new SuccessorOf(link.get());
        }
        List<PassedSocket> passed = SocketActivation.fromEnvironment(environment.variables(), environment.pid());
        Path controlPath = controlPath(options, environment);
        Descriptor control = bindControl(controlPath, options);
        return passed.isEmpty() ? new ColdStart(controlPath, control) : new SocketActivated(controlPath, control, passed);
    }

    private static Descriptor bindControl(Path controlPath, BatonOptions options) throws IOException {
        return Descriptor.own(ControlSocket.bind(controlPath, options.name()), "the control socket " + controlPath);
    }

    private static Path controlPath(BatonOptions options, ProcessEnvironment environment) throws IOException {
        Path directory = options.controlDirectory() != null
                ? options.controlDirectory()
                : ControlSocket.directory(environment.variables());
        ControlSocket.prepareDirectory(directory);
        return ControlSocket.path(directory, options.name());
    }

    /** This generation's number: 1 for a cold start, one more than the predecessor's, or the supervisor's count. */
    default int generation() {
        return switch (this) {
            case ColdStart _, SocketActivated _ -> 1;
            case SuccessorOf successor -> successor.link().handover().generation();
            case OrphanedSuccessor orphan -> orphan.gone().predecessor().generation() + 1;
            case SupervisedWorker worker -> worker.generation();
        };
    }

    /** The service's name: the one taken over, for a successor; the configured one otherwise. */
    default String name(BatonOptions options) {
        return this instanceof SuccessorOf successor ? successor.link().handover().name() : options.name();
    }

    /** The control socket's path, if this generation has one. */
    default Optional<Path> controlPath() {
        return switch (this) {
            case ColdStart cold -> Optional.of(cold.socketPath());
            case SocketActivated activated -> Optional.of(activated.socketPath());
            case SuccessorOf successor -> Optional.of(successor.link().controlPath());
            case OrphanedSuccessor orphan -> Optional.of(orphan.socketPath());
            case SupervisedWorker _ -> Optional.empty();
        };
    }

    /** The control socket's listening descriptor this generation bound, if it bound one itself. */
    default Optional<Descriptor> boundControl() {
        return switch (this) {
            case ColdStart cold -> Optional.of(cold.control());
            case SocketActivated activated -> Optional.of(activated.control());
            case OrphanedSuccessor orphan -> Optional.of(orphan.control());
            case SuccessorOf _, SupervisedWorker _ -> Optional.empty();
        };
    }

    /** The listeners handed to this generation, not yet claimed; the caller owns them (ask once). */
    default List<InheritedListener> inherited() {
        return switch (this) {
            case ColdStart _ -> List.of();
            case OrphanedSuccessor orphan -> orphan.handed();
            case SocketActivated activated -> fromPassed(activated.passed());
            case SuccessorOf successor -> successor.link().listeners();
            case SupervisedWorker worker -> fromPassed(worker.passed());
        };
    }

    /** Why this generation never upgrades itself, if it does not. */
    default Optional<String> upgradeRefusal() {
        return this instanceof SupervisedWorker worker
                ? Optional.of(Refusals.workerOfSupervisor(worker.supervisorPid())) : Optional.empty();
    }

    /** How it started, for the first log line. */
    default String describe() {
        return switch (this) {
            case ColdStart cold -> "; control socket " + cold.socketPath();
            case SocketActivated activated -> " with " + activated.passed().size()
                    + " socket-activated listeners; control socket " + activated.socketPath();
            case SuccessorOf successor -> " as the successor of pid " + successor.link().predecessorPid();
            case OrphanedSuccessor orphan -> " as a successor whose predecessor is gone: " + orphan.gone().getMessage()
                    + (orphan.handed().isEmpty()
                            ? "; binding the listeners afresh (connections are refused until they are bound)"
                            : "; taking over the " + orphan.handed().size() + " listener(s) it was started with "
                                    + "(connections wait in their queues meanwhile)")
                    + "; control socket " + orphan.socketPath();
            case SupervisedWorker worker -> " under the supervisor pid " + worker.supervisorPid();
        };
    }

    private static List<InheritedListener> fromPassed(List<PassedSocket> passed) {
        return passed.stream().map(socket -> new InheritedListener(socket.name(), "",
                Descriptor.own(socket.fd(), "socket-activated listener " + socket.name()))).toList();
    }

    private static int parseGeneration(String value) {
        if (value == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
