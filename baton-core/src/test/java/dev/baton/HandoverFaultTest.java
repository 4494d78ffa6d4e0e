package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.FakeGenerations.Script;
import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.ControlServer;
import dev.baton.internal.control.ControlSocket;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.Message.ProcessInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed at each step of the handover, in this JVM: what serves afterwards, and how the reload
 * ends. The successor's side is driven against a scripted predecessor that speaks the real protocol on a
 * real control socket and "dies" (closes everything, and is reported dead) at a chosen step; the
 * predecessor's side (the probation) runs on {@link FakeGenerations}.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandoverFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration PROBATION = Duration.ofSeconds(1);
    private static final long PID = FakeGenerations.PID;

    @TempDir
    Path temp;

    private FakeGenerations service;
    private ScriptedPredecessor predecessor;
    private Lifecycle successor;

    @AfterEach
    void stopEverything() {
        if (successor != null) {
            successor.stop(true, "the end of the test");
            successor.abandon();
        }
        if (predecessor != null) {
            predecessor.die();
        }
        if (service != null) {
            service.stopAll();
        }
    }

    // ---- the successor's side: its predecessor dies ---------------------------------------------------

    @Test
    void predecessorDiesBeforeTheSuccessorConnects_successorBindsAfreshAndServes() throws IOException {
        predecessor = new ScriptedPredecessor(Step.BEFORE_CONNECT);

        successor = predecessor.openSuccessor();
        successor.ready();

        assertThat(successor.generation()).as("the generations' count goes on").isEqualTo(2);
        assertThat(successor.state()).isEqualTo(GenerationState.SERVING);
        assertThat(successor.listeners().active().getFirst().toString()).doesNotContain("(inherited)");
        ServiceStatus status = BatonControl.at(predecessor.controlPath).status();
        assertThat(status.pid()).isEqualTo(PID);
        assertThat(status.lastReload()).contains("generation 2", "started on its own",
                "the predecessor pid " + PID + " (generation 1) died before this successor reached it");
    }

    @Test
    void predecessorDiesAfterTheHandoverMessage_successorTakesOverItsListenersAndControlSocket() throws Exception {
        predecessor = new ScriptedPredecessor(Step.AFTER_HANDOVER);

        successor = predecessor.openSuccessor();
        predecessor.died.get();
        successor.ready();

        assertThat(successor.state()).isEqualTo(GenerationState.SERVING);
        assertThat(successor.listeners().active().getFirst().toString()).contains("(inherited)")
                .contains(predecessor.boundAddress);
        ServiceStatus status = BatonControl.at(predecessor.controlPath).status();
        assertThat(status.processes()).extracting(ServiceStatus.ProcessStatus::generation).containsExactly(2);
        // the watch may see the death first, or ready() may meet the broken connection first: both take over
        assertThat(status.lastReload()).contains("took over from pid " + PID).containsPattern(
                "which died (during the handover, before this generation was ready|as this generation said ready)");
    }

    @Test
    void predecessorDiesAtReady_successorTakesOverWithoutTheAcknowledgement() throws Exception {
        predecessor = new ScriptedPredecessor(Step.AT_READY);

        successor = predecessor.openSuccessor();
        successor.ready();

        assertThat(predecessor.died).isDone();
        assertThat(successor.state()).isEqualTo(GenerationState.SERVING);
        assertThat(successor.listeners().active().getFirst().toString()).contains("(inherited)");
        assertThat(BatonControl.at(predecessor.controlPath).status().lastReload())
                .contains("which died as this generation said ready");
    }

    @Test
    void predecessorBreaksOffButLives_successorDoesNotServe() throws Exception {
        predecessor = new ScriptedPredecessor(Step.AT_READY);
        predecessor.staysAlive.set(true);

        successor = predecessor.openSuccessor();

        assertThatThrownBy(successor::ready).isInstanceOf(IOException.class)
                .hasMessageContaining("the peer closed the control connection");
        assertThat(successor.state()).isEqualTo(GenerationState.STOPPED);
    }

    // ---- the predecessor's side: its successor dies on probation --------------------------------------

    @Test
    void successorDiesRightAfterReady_oldAcceptsAgainAndTheUpgradeFails() throws Exception {
        Lifecycle first = probationService().next(Script.DIES_AFTER_READY).coldStart();
        FakeServer old = service.servers.getFirst();

        UpgradeResult result = first.upgrade("the test");

        assertThat(result.outcome()).as("%s", result).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(result.message()).contains("successor pid " + PID + " (generation 2) died",
                "probation after it was ready (was killed by signal 9 (SIGKILL)", "still serving as pid " + PID);
        assertThat(first.state()).isEqualTo(GenerationState.SERVING);
        assertThat(old.pauseCalls).hasValue(1);
        assertThat(old.resumeCalls).hasValue(1);
        assertThat(old.drainCalls).as("the old generation never drained").hasValue(0);
        assertThat(old.accepting()).isTrue();
        ServiceStatus status = BatonControl.at(first.controlPath()).status();
        assertThat(status.processes()).extracting(ServiceStatus.ProcessStatus::generation).containsExactly(1);
        assertThat(status.lastReload()).contains("probation");
    }

    @Test
    void successorDiesOnProbation_theNextUpgradeMayComeAtOnce() throws Exception {
        Lifecycle first = probationService().next(Script.DIES_AFTER_READY).coldStart();
        assertThat(first.upgrade("the test").succeeded()).isFalse();
        service.clock.advance(BatonOptions.DEFAULT_READY_TIMEOUT.plusSeconds(1)); // the failed upgrade's timers: moot
        assertThat(service.clock.pending()).isZero();

        CompletableFuture<UpgradeResult> next = CompletableFuture.supplyAsync(() -> first.upgrade("the next one"));
        passProbation(1);

        assertThat(next.get().outcome()).as("%s", next.get()).isEqualTo(UpgradeResult.Outcome.SUCCEEDED);
        assertThat(first.awaitStopped(WAIT)).isTrue();
    }

    @Test
    void successorLivesThroughProbation_oldDrainsOnlyAfterIt_andReloadAnswersAfterIt() throws Exception {
        Lifecycle first = probationService().next(Script.READY).coldStart();
        FakeServer old = service.servers.getFirst();

        CompletableFuture<UpgradeResult> upgrade = CompletableFuture.supplyAsync(() -> first.upgrade("the test"));
        await().atMost(WAIT).until(() -> old.pauseCalls.get() == 1 && service.clock.pending() >= 2);
        Lifecycle second = service.generation(2);
        await().atMost(WAIT).until(() -> second.state() == GenerationState.SERVING);

        assertThat(upgrade).as("the reload answers once the probation has passed").isNotDone();
        assertThat(first.state()).isEqualTo(GenerationState.UPGRADING);
        assertThat(old.drainCalls).hasValue(0);
        service.clock.advance(PROBATION);

        UpgradeResult result = upgrade.get();
        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.SUCCEEDED);
        // "Ready after" is the successor's start, not its start and the probation (the manual clock stood still).
        assertThat(result.elapsed()).isZero();
        assertThat(result.message()).contains("is ready after 0 ms and lived through " + PROBATION.toMillis()
                + " ms of probation; generation 1");
        assertThat(first.awaitStopped(WAIT)).isTrue();
        assertThat(old.drainCalls).hasValue(1);
        assertThat(old.resumeCalls).hasValue(0);
    }

    @Test
    void stopDuringProbation_doesNotTakeDownTheReadySuccessor() throws Exception {
        Lifecycle first = probationService().next(Script.READY).coldStart();
        CompletableFuture<UpgradeResult> upgrade = CompletableFuture.supplyAsync(() -> first.upgrade("the test"));
        await().atMost(WAIT).until(() -> service.servers.getFirst().pauseCalls.get() == 1
                && service.clock.pending() >= 2);

        first.stop(false, "SIGTERM");
        service.clock.advance(PROBATION);

        assertThat(upgrade.get().outcome()).as("%s", upgrade.get()).isEqualTo(UpgradeResult.Outcome.SUCCEEDED);
        assertThat(service.launchedOne().isAlive()).isTrue();
        assertThat(first.awaitStopped(WAIT)).isTrue();
    }

    @Test
    void successorStoppedDuringProbation_reloadSaysTheServiceStops_andOldDrains() throws Exception {
        Lifecycle first = probationService().next(Script.STOPPED_AFTER_READY).coldStart();

        UpgradeResult result = first.upgrade("the test");

        assertThat(result.message()).as("%s", result).contains("was ready after")
                .contains("and was stopped during its probation (exited with status 0), so the service stops")
                .endsWith("drains too");
        assertThat(first.awaitStopped(WAIT)).isTrue();
        assertThat(service.servers.getFirst().resumeCalls).as("it does not serve on alone").hasValue(0);
    }

    @Test
    void noProbation_oldDrainsAsSoonAsTheSuccessorIsReady() throws Exception {
        service = new FakeGenerations(FakeGenerations.options(temp).withProbation(Duration.ZERO), FakeServer::pausable);
        Lifecycle first = service.next(Script.READY).coldStart();

        assertThat(first.upgrade("the test").succeeded()).isTrue();
        assertThat(first.awaitStopped(WAIT)).isTrue();
        assertThat(service.servers.getFirst().pauseCalls).hasValue(0);
    }

    private FakeGenerations probationService() {
        service = new FakeGenerations(FakeGenerations.options(temp).withProbation(PROBATION), FakeServer::pausable);
        return service;
    }

    /** Waits for generation {@code predecessor}'s probation to be set, then lets it pass. */
    private void passProbation(int predecessor) {
        FakeServer old = service.servers.get(0);
        await().atMost(WAIT).until(() -> old.pauseCalls.get() == predecessor + 1 && service.clock.pending() >= 2);
        service.clock.advance(PROBATION);
    }

    // ---- a predecessor that dies at a chosen step --------------------------------------------------------

    enum Step { BEFORE_CONNECT, AFTER_HANDOVER, AT_READY }

    /**
     * Generation 1 of service "svc", played by the test: its listener and control socket are real; it
     * answers a successor's handover as the real predecessor does, up to {@code step}, where it dies.
     */
    private final class ScriptedPredecessor implements OldGenerations.Liveness {

        final Path controlPath = temp.resolve("svc.sock");
        final CompletableFuture<Void> died = new CompletableFuture<>();
        final AtomicBoolean staysAlive = new AtomicBoolean();
        final String boundAddress;
        private final Step step;
        private final ListenerSet listeners = new ListenerSet(List.of(), 16, 1, "[predecessor] ");
        private final ControlServer control;
        private final long started = System.currentTimeMillis() - 5_000;

        ScriptedPredecessor(Step step) throws IOException {
            this.step = step;
            listeners.listen("http", ListenAddress.parse(FakeGenerations.ADDRESS));
            boundAddress = listeners.active().getFirst().boundAddress();
            int fd = ControlSocket.bind(controlPath, "svc");
            control = ControlServer.start(fd, this::handle, Duration.ofSeconds(5), "[predecessor] ");
            if (step == Step.BEFORE_CONNECT) {
                die();
            }
        }

        private void handle(ControlChannel channel, dev.baton.internal.os.PeerCredentials peer, Message request)
                throws IOException {
            if (!(request instanceof Message.HandoverRequest)) {
                channel.send(new Message.Refused("only a handover here"));
                return;
            }
            ProcessInfo self = new ProcessInfo(PID, 1, ServiceStatus.State.DRAINING.toString(), started);
            ListenerSet.Handed handed = listeners.toHand();
            channel.send(new Message.Handover("svc", 2, handed.specs(), List.of(self)),
                    HandoverDescriptors.toSend(handed.descriptors(), control.descriptor()));
            if (step == Step.AT_READY) {
                channel.receiveMessage(WAIT); // the ready notice, never acknowledged
            }
            die();
        }

        /** What SIGKILL does: every descriptor closed, nothing cleaned up (the socket file stays). */
        void die() {
            control.close();
            listeners.closeAll();
            died.complete(null);
        }

        Lifecycle openSuccessor() throws IOException {
            Map<String, String> variables = Map.of(
                    PredecessorLink.SOCKET_VARIABLE, controlPath.toString(),
                    PredecessorLink.PID_VARIABLE, Long.toString(PID),
                    PredecessorLink.GENERATION_VARIABLE, "1",
                    PredecessorLink.STARTED_VARIABLE, Long.toString(started),
                    PredecessorLink.LAUNCHED_VARIABLE, Long.toString(System.currentTimeMillis()));
            ProcessEnvironment environment = new ProcessEnvironment(variables, PID, PID, System.currentTimeMillis(),
                    List.of("fake-app"));
            SuccessorLauncher none = (command, add, remove, listeners) -> {
                throw new IOException("no upgrade in this test");
            };
            Lifecycle lifecycle = Lifecycle.create(FakeGenerations.options(temp),
                    new Lifecycle.Host(environment, none, new ManualClock(), this));
            lifecycle.listeners().listen("http", ListenAddress.parse(FakeGenerations.ADDRESS));
            lifecycle.register(FakeServer.idle());
            return lifecycle;
        }

        @Override
        public boolean isRunning(ProcessInfo generation) {
            return generation.generation() == 1 ? staysAlive.get() || !died.isDone() : false;
        }

        @Override
        public void hammer(ProcessInfo generation) {
        }
    }
}
