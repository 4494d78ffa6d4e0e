package dev.baton;

import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.ControlServer;
import dev.baton.internal.control.HandoverHandler;
import dev.baton.internal.control.Refusals;
import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.Message.Handover;
import dev.baton.internal.protocol.Message.ProcessInfo;
import dev.baton.internal.protocol.Message.ReadyNotice;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The predecessor's side of the handover, on the successor's control connection: hands it the listeners,
 * the control socket and this process's standard output and error; waits for its ready notice; commits
 * (this generation drains) or refuses if the upgrade was settled otherwise meanwhile. After the commit this
 * generation is on {@link Probation}: if the successor dies within it, this generation serves again (its
 * control server, pidfile and systemd's MAINPID too) and the upgrade fails.
 *
 * <p>Stateless: the upgrade's state is {@link GenerationStates}'s and {@link PendingUpgrade}'s. Runs on the
 * thread {@link ControlServer} gives a handover, for up to the ready timeout.
 */
final class HandoverToSuccessor implements HandoverHandler {

    private static final Logger LOG = System.getLogger("dev.baton");
    private static final Duration READY_MARGIN = Duration.ofSeconds(1);
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

    private final GenerationStates states;
    private final OldGenerations oldGenerations;
    private final ListenerSet listeners;
    private final Supplier<ControlServer> controlServer;
    private final Consumer<String> startDrain;
    private final Probation probation;
    private final Runnable servingAgain;
    private final ProcessInfo self;
    private final ServiceTally tally;
    private final String name;
    private final Duration readyTimeout;
    private final String logPrefix;

    /**
     * @param self this generation as its successor lists it among the draining ones
     * @param startDrain starts this generation's drain once the successor serves, saying why
     * @param servingAgain makes this generation the one serving again (pidfile, systemd) when its successor
     *     died on probation
     * @param tally the service's figures, handed on to the successor with its ready acknowledged
     */
    HandoverToSuccessor(GenerationStates states, OldGenerations oldGenerations, ListenerSet listeners,
            Supplier<ControlServer> controlServer, Consumer<String> startDrain, Probation probation,
            Runnable servingAgain, ProcessInfo self, ServiceTally tally, String name, Duration readyTimeout,
            String logPrefix) {
        this.states = states;
        this.oldGenerations = oldGenerations;
        this.listeners = listeners;
        this.controlServer = controlServer;
        this.startDrain = startDrain;
        this.probation = probation;
        this.servingAgain = servingAgain;
        this.self = self;
        this.tally = tally;
        this.name = name;
        this.readyTimeout = readyTimeout;
        this.logPrefix = logPrefix;
    }

    @Override
    public void handover(ControlChannel channel, PeerCredentials peer, Message.HandoverRequest request)
            throws IOException {
        Optional<PendingUpgrade> claimed = states.claimHandover(peer.pid());
        if (claimed.isEmpty()) {
            LOG.log(Level.WARNING, logPrefix + "refused a handover to pid " + peer.pid() + ": no upgrade waits for it");
            channel.send(new Message.Refused(Refusals.noUpgradeWaitsFor(peer.pid())));
            return;
        }
        PendingUpgrade upgrade = claimed.get();
        ControlServer server = controlServer.get();
        List<ProcessInfo> draining = new ArrayList<>(oldGenerations.stillDraining());
        draining.add(self);
        ListenerSet.Handed handed = listeners.toHand();
        int[] fds = HandoverDescriptors.toSend(handed.descriptors(), server.descriptor());
        channel.send(new Handover(name, upgrade.generation, handed.specs(), draining), fds);
        LOG.log(Level.DEBUG, () -> logPrefix + "handed " + fds.length + " descriptors to pid " + peer.pid());
        Message notice;
        try {
            notice = channel.receiveMessage(readyTimeout.minus(upgrade.elapsed()).plus(READY_MARGIN));
        } catch (IOException e) {
            // A successor that exits closes its connection a moment before the kernel reports its exit:
            // wait for that exit, which says more (its status, its signal) than a closed connection.
            if (!exitsWithin(upgrade.successor(), EXIT_GRACE)) {
                upgrade.settleFailed("broke off the handover (" + e.getMessage() + ")");
            }
            return;
        }
        if (!(notice instanceof ReadyNotice)) {
            upgrade.settleFailed("sent " + notice.getClass().getSimpleName() + " instead of ready");
            channel.send(new Message.Refused("expected ready, got " + notice.getClass().getSimpleName()));
            return;
        }
        // Control connections taken from here on wait for the successor instead of reaching a
        // generation that is about to drain (and would refuse a reload).
        server.pause();
        if (!states.commit(upgrade)) {
            server.resume();
            channel.send(new Message.Refused("too late: the successor " + upgrade.settlement().join().reason()));
            return;
        }
        channel.send(new Message.ReadyAck(tally.afterSuccess(upgrade.elapsed())));
        Optional<String> died = probation.watch(upgrade.successor());
        if (died.isPresent()) {
            server.resume();
            servingAgain.run();
            upgrade.failProbation(died.get());
            return;
        }
        states.probationPassed(upgrade);
        server.close();
        Successor successor = upgrade.successor();
        boolean stopped = successor.wasStopped();
        startDrain.accept("generation " + upgrade.generation + " (pid " + peer.pid() + ") "
                + (stopped ? "was stopped during its probation, so the service stops" : "is serving"));
    }

    /** Whether {@code successor} exits within {@code grace}; its exit then settles the upgrade (see {@link UpgradeRun}). */
    private static boolean exitsWithin(Successor successor, Duration grace) {
        try {
            successor.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }
}
