package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.FakeGenerations.Script;
import dev.baton.internal.service.ExitDescription;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle's state machine, driven in this JVM: generations are {@link Lifecycle}s on a manual clock,
 * successors are launched by {@link FakeGenerations} and hand over through the real control socket.
 * No JVM is started; each test takes milliseconds.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private FakeGenerations service;

    private FakeGenerations service(BatonOptions options, java.util.function.Supplier<FakeServer> servers) {
        service = new FakeGenerations(options, servers);
        return service;
    }

    private FakeGenerations service() {
        return service(FakeGenerations.options(temp), FakeServer::idle);
    }

    @AfterEach
    void stopEverything() {
        if (service != null) {
            service.stopAll();
        }
    }

    @Test
    void ready_coldStart_servesAndStartsItsServers() throws IOException {
        Lifecycle first = service().coldStart();

        assertThat(first.state()).isEqualTo(GenerationState.SERVING);
        assertThat(first.generation()).isEqualTo(1);
        assertThat(service.servers.getFirst().accepting()).isTrue();
        ServiceStatus status = first.status();
        assertThat(status.mode()).isEqualTo(ServiceStatus.Mode.IN_PROCESS);
        assertThat(status.state()).isEqualTo(ServiceStatus.State.SERVING);
        assertThat(status.listeners()).singleElement().asString().startsWith("http=127.0.0.1:");
    }

    @Test
    void ready_preparesTheNextUpgradeAhead_withoutLaunchingOne() throws Exception {
        Lifecycle first = service().coldStart();

        assertThat(service.prepared.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
        assertThat(service.launched).isEmpty();
        assertThat(first.state()).isEqualTo(GenerationState.SERVING);
    }

    @Test
    void upgrade_noThreadLeftToLaunch_failsSayingSo_andTheNextUpgradeWorks() throws IOException {
        failsAndTheOldServesOn(Script.NO_THREAD_LEFT, "cannot start the successor: unable to create native thread");
    }

    @Test
    void upgrade_failsAfterTheSuccessorStarted_stopsIt_andTheNextUpgradeWorks() throws IOException {
        failsAndTheOldServesOn(Script.NO_THREAD_FOR_ITS_TIMEOUT, "process/resource limits reached);"
                + " stopped successor pid " + FakeGenerations.PID + " (exited with status 143)");

        FakeGenerations.FakeSuccessor unwatched = service.launched.getFirst();
        assertThat(unwatched.isAlive()).as("a successor the upgrade no longer watches is stopped").isFalse();
        assertThat(unwatched.exitDescription()).isEqualTo(ExitDescription.exited(143));
    }

    @Test
    void ready_calledFromSeveralThreadsAtOnce_exactlyOneSucceeds() throws Exception {
        Lifecycle first = service().open(Map.of());
        int callers = 8;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger succeeded = new AtomicInteger();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    first.ready();
                    succeeded.incrementAndGet();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(WAIT);
        }

        assertThat(succeeded).hasValue(1);
        assertThat(failures).hasSize(callers - 1).allSatisfy(failure -> assertThat(failure)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call it once"));
        assertThat(service.servers.getFirst().acceptingCalls).hasValue(1);
        assertThat(first.state()).isEqualTo(GenerationState.SERVING);
    }

    @Test
    void upgrade_successorReady_newServesAndOldDrains() throws Exception {
        Lifecycle first = service().next(Script.READY).coldStart();

        UpgradeResult result = first.upgrade("the test");

        assertThat(result.outcome()).as("%s", result).isEqualTo(UpgradeResult.Outcome.SUCCEEDED);
        assertThat(result.successorGeneration()).isEqualTo(2);
        assertThat(first.awaitStopped(WAIT)).isTrue();
        Lifecycle second = service.generation(2);
        await().atMost(WAIT).until(() -> second.state() == GenerationState.SERVING);
        assertThat(service.servers.get(0).drainCalls).hasValue(1);
        assertThat(service.servers.get(1).accepting()).isTrue();
        ServiceStatus status = BatonControl.at(first.controlPath()).status();
        assertThat(status.processes()).extracting(ServiceStatus.ProcessStatus::generation).containsExactly(2);
        assertThat(status.lastReload()).contains("generation 2", "took over from pid " + FakeGenerations.PID);
    }

    @Test
    void lifecycleListener_finalStop_hearsStoppingBeforeDrainingStarted_handoverDrainDoesNot() throws Exception {
        Lifecycle first = service().next(Script.READY).coldStart();
        List<String> heardByFirst = new java.util.concurrent.CopyOnWriteArrayList<>();
        first.addLifecycleListener(recorder(heardByFirst));

        assertThat(first.upgrade("the test").outcome()).isEqualTo(UpgradeResult.Outcome.SUCCEEDED);
        assertThat(first.awaitStopped(WAIT)).isTrue();
        Lifecycle second = service.generation(2);
        await().atMost(WAIT).until(() -> second.state() == GenerationState.SERVING);
        List<String> heardBySecond = new java.util.concurrent.CopyOnWriteArrayList<>();
        second.addLifecycleListener(recorder(heardBySecond));
        second.stop(false, "SIGTERM");
        assertThat(second.awaitStopped(WAIT)).isTrue();

        assertThat(heardByFirst).containsExactly("draining 1", "stopped 1");
        assertThat(heardBySecond).containsExactly("stopping 2", "draining 2", "stopped 2");
    }

    @Test
    void stop_withShutdownDelay_isNotReadyAtOnce_keepsAccepting_thenDrainsWhenTheDelayIsOver() throws Exception {
        Lifecycle first = service(FakeGenerations.options(temp).withShutdownDelay(Duration.ofSeconds(5)),
                FakeServer::idle).coldStart();
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        first.addLifecycleListener(recorder(heard));
        int timersBefore = service.clock.pending();

        first.stop(false, "SIGTERM");
        await().atMost(WAIT).until(() -> service.clock.pending() == timersBefore + 1);

        assertThat(heard).containsExactly("stopping 1");
        assertThat(service.servers.getFirst().accepting()).isTrue();
        assertThat(BatonControl.at(first.controlPath()).status().pid()).isEqualTo(FakeGenerations.PID);
        service.clock.advance(Duration.ofMillis(4999));
        assertThat(first.awaitStopped(Duration.ofMillis(50))).isFalse();
        assertThat(service.servers.getFirst().accepting()).isTrue();
        service.clock.advance(Duration.ofMillis(1));
        assertThat(first.awaitStopped(WAIT)).isTrue();
        assertThat(heard).containsExactly("stopping 1", "draining 1", "stopped 1");
        assertThat(service.servers.getFirst().hammerCalls).hasValue(0);
    }

    @Test
    void stop_secondStopDuringTheShutdownDelay_cutsItShortAndStopsAtOnce() throws Exception {
        Lifecycle first = service(FakeGenerations.options(temp).withShutdownDelay(Duration.ofMinutes(10)),
                () -> FakeServer.holdingConnections(3)).coldStart();
        int timersBefore = service.clock.pending();
        first.stop(false, "SIGTERM");
        await().atMost(WAIT).until(() -> service.clock.pending() == timersBefore + 1);

        first.stop(false, "a second SIGTERM");

        assertThat(first.awaitStopped(WAIT)).isTrue();
        assertThat(first.hammered()).isEqualTo(3);
    }

    @Test
    void stop_fromADaemonThread_theDrainKeepsTheJvmAliveUntilItIsDone() throws Exception {
        // A server's own non-daemon threads may end as its listener closes (Reactor Netty's do): the drain's
        // thread must then keep the JVM from exiting, whoever started the drain.
        Lifecycle first = service(FakeGenerations.options(temp), () -> FakeServer.holdingConnections(1)).coldStart();
        Thread stopper = Thread.ofPlatform().daemon().start(() -> first.stop(false, "SIGTERM"));
        stopper.join();

        Thread drain = await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("baton-drain")).findFirst().orElse(null), t -> t != null);

        assertThat(drain.isDaemon()).as("the drain thread is a daemon").isFalse();
        first.stop(false, "a second SIGTERM");
        assertThat(first.awaitStopped(WAIT)).isTrue();
    }

    @Test
    void stop_nowDuringTheShutdownDelay_cutsItShort() throws Exception {
        Lifecycle first = service(FakeGenerations.options(temp).withShutdownDelay(Duration.ofMinutes(10)),
                FakeServer::idle).coldStart();
        int timersBefore = service.clock.pending();
        first.stop(false, "SIGTERM");
        await().atMost(WAIT).until(() -> service.clock.pending() == timersBefore + 1);

        BatonControl.at(first.controlPath()).stop(true);

        assertThat(first.awaitStopped(WAIT)).isTrue();
    }

    @Test
    void upgrade_withShutdownDelay_theOldGenerationDrainsWithoutWaiting() throws Exception {
        Lifecycle first = service(FakeGenerations.options(temp).withShutdownDelay(Duration.ofMinutes(10)),
                FakeServer::idle).next(Script.READY).coldStart();
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        first.addLifecycleListener(recorder(heard));

        assertThat(first.upgrade("the test").outcome()).isEqualTo(UpgradeResult.Outcome.SUCCEEDED);

        assertThat(first.awaitStopped(WAIT)).isTrue();
        assertThat(heard).containsExactly("draining 1", "stopped 1");
    }

    private static LifecycleListener recorder(List<String> heard) {
        return new LifecycleListener() {
            @Override
            public void stopping(int generation) {
                heard.add("stopping " + generation);
            }

            @Override
            public void drainingStarted(int generation) {
                heard.add("draining " + generation);
            }

            @Override
            public void stopped(int generation, int hammered) {
                heard.add("stopped " + generation);
            }
        };
    }

    @Test
    void upgrade_successorExitsBeforeReady_oldKeepsServing() throws IOException {
        failsAndTheOldServesOn(Script.EXITS, "exited with status 2 before it was ready");
    }

    /** An upgrade whose successor does {@code script} fails saying {@code said}; the old one serves, and may upgrade at once. */
    private void failsAndTheOldServesOn(Script script, String said) throws IOException {
        Lifecycle first = service().next(script).coldStart();

        UpgradeResult result = first.upgrade("the test");

        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(result.message()).contains(said, "still serving as pid " + FakeGenerations.PID + " (generation 1)");
        assertThat(first.state()).isEqualTo(GenerationState.SERVING);
        assertThat(service.servers.getFirst().accepting()).isTrue();
        UpgradeResult next = first.upgrade("the next attempt");
        assertThat(next.succeeded()).as("the next attempt may come at once: %s", next.message()).isTrue();
    }

    @Test
    void upgrade_successorCrashesAfterTheHandover_oldKeepsServing() throws IOException {
        Lifecycle first = service().next(Script.CRASHES).coldStart();

        UpgradeResult result = first.upgrade("the test");

        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(result.message()).contains("was killed by signal 9 (SIGKILL) before it was ready");
        assertThat(result.lastOutput()).containsExactly("fake successor: CRASHES");
        assertThat(first.state()).isEqualTo(GenerationState.SERVING);
        assertThat(first.upgrade("the next attempt").succeeded()).isTrue();
    }

    @Test
    void upgrade_successorClosesItsConnectionThenExits_reportIsItsExit() throws IOException {
        Lifecycle first = service().next(Script.CLOSES_THEN_EXITS).coldStart();

        UpgradeResult result = first.upgrade("the test");

        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(result.message()).contains("exited with status 1 before it was ready")
                .doesNotContain("broke off");
        assertThat(first.state()).isEqualTo(GenerationState.SERVING);
    }

    @Test
    void upgrade_successorNotReadyWithinTheReadyTimeout_stoppedAndOldKeepsServing() throws Exception {
        Lifecycle first = service().next(Script.HANGS).coldStart();

        CompletableFuture<UpgradeResult> upgrade = CompletableFuture.supplyAsync(() -> first.upgrade("the test"));
        service.launchedOne().tookHandover.get();
        service.clock.advance(BatonOptions.DEFAULT_READY_TIMEOUT.plusSeconds(1));
        UpgradeResult result = upgrade.get();

        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(result.message()).contains("was not ready within 60s; stopped it (exited with status 143)");
        assertThat(service.launchedOne().isAlive()).isFalse();
        assertThat(first.state()).isEqualTo(GenerationState.SERVING);
        assertThat(first.upgrade("the next attempt").succeeded()).isTrue();
    }

    @Test
    void upgrade_backToBack_eachGenerationHandsOverToTheNext() throws Exception {
        Lifecycle first = service().coldStart();
        String bound = first.listeners().active().getFirst().boundAddress();

        assertThat(first.upgrade("the first").succeeded()).isTrue();
        Lifecycle second = service.generation(2);
        await().atMost(WAIT).until(() -> second.state() == GenerationState.SERVING);
        assertThat(second.upgrade("the second").succeeded()).isTrue();
        Lifecycle third = service.generation(3);
        await().atMost(WAIT).until(() -> third.state() == GenerationState.SERVING);

        assertThat(first.awaitStopped(WAIT)).isTrue();
        assertThat(second.awaitStopped(WAIT)).isTrue();
        assertThat(third.listeners().active()).singleElement().satisfies(listener ->
                assertThat(listener.boundAddress()).as("the same socket").isEqualTo(bound));
    }

    @Test
    void upgrade_moreGenerationsDrainingThanTheCap_oldestHammered() throws Exception {
        BatonOptions options = FakeGenerations.options(temp).withMaxDrainingGenerations(1);
        Lifecycle first = service(options, () -> FakeServer.holdingConnections(3)).coldStart();

        assertThat(first.upgrade("the first").succeeded()).isTrue();
        Lifecycle second = service.generation(2);
        await().atMost(WAIT).until(() -> second.state() == GenerationState.SERVING);
        assertThat(first.state()).isEqualTo(GenerationState.DRAINING);
        assertThat(second.upgrade("the second").succeeded()).isTrue();
        Lifecycle third = service.generation(3);
        await().atMost(WAIT).until(() -> third.state() == GenerationState.SERVING);

        assertThat(first.awaitStopped(WAIT)).as("the oldest, hammered").isTrue();
        assertThat(first.hammered()).isEqualTo(3);
        assertThat(second.state()).as("one may drain").isEqualTo(GenerationState.DRAINING);
    }

    @Test
    void stop_duringAnUpgrade_successorStoppedThenOldDrains() throws Exception {
        Lifecycle first = service().next(Script.HANGS).coldStart();
        CompletableFuture<UpgradeResult> upgrade = CompletableFuture.supplyAsync(() -> first.upgrade("the test"));
        service.launchedOne().tookHandover.get();

        first.stop(false, "SIGTERM");

        UpgradeResult result = upgrade.get();
        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(result.message()).contains("was stopped: SIGTERM arrived during the upgrade",
                "generation 1 (pid " + FakeGenerations.PID + ") stops as asked").doesNotContain("still serving");
        assertThat(service.launchedOne().isAlive()).isFalse();
        assertThat(first.awaitStopped(WAIT)).isTrue();
        assertThat(service.servers.getFirst().drainCalls).hasValue(1);
    }

    @Test
    void upgrade_requestedTwiceAtOnce_secondRefusedNamingTheSuccessor() throws Exception {
        Lifecycle first = service().next(Script.HANGS).coldStart();
        CompletableFuture<UpgradeResult> upgrade = CompletableFuture.supplyAsync(() -> first.upgrade("the first"));
        service.launchedOne().tookHandover.get();

        UpgradeResult second = first.upgrade("the second");

        assertThat(second.outcome()).isEqualTo(UpgradeResult.Outcome.REFUSED);
        assertThat(second.message()).isEqualTo("an upgrade is already under way (successor pid "
                + FakeGenerations.PID + ")");
        assertThat(service.launched).hasSize(1);
        service.clock.advance(BatonOptions.DEFAULT_READY_TIMEOUT.plusSeconds(1));
        assertThat(upgrade.get().outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
    }

    @Test
    void stop_beforeReady_releasesAwaitStoppedAndLeavesTheExitToTheApplication() throws Exception {
        Lifecycle first = service().open(Map.of());

        first.stop(false, "SIGTERM");

        assertThat(first.awaitStopped(WAIT)).isTrue();
        assertThat(first.state()).isEqualTo(GenerationState.STOPPED);
        assertThatThrownBy(first::ready).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ready() called in state STOPPED");
        assertThat(service.servers.getFirst().acceptingCalls).hasValue(0);
    }

    @Test
    void upgrade_beforeReady_refused() throws IOException {
        Lifecycle first = service().open(Map.of());

        UpgradeResult result = first.upgrade("the test");

        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.REFUSED);
        assertThat(result.message()).isEqualTo("generation 1 is not ready yet");
    }

    @Test
    void upgrade_supervisedWorker_refusedNamingTheSupervisor() throws IOException {
        Lifecycle worker = service().coldStart(Map.of(StartMode.SUPERVISOR_VARIABLE, "4242",
                StartMode.GENERATION_VARIABLE, "7"));

        UpgradeResult result = worker.upgrade("SIGHUP");

        assertThat(worker.generation()).isEqualTo(7);
        assertThat(worker.controlPath()).as("a worker has no control socket").isNull();
        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.REFUSED);
        assertThat(result.message()).isEqualTo("this process is a worker of the Baton supervisor pid 4242; reload "
                + "through the supervisor (baton reload)");
        assertThat(service.launched).isEmpty();
    }

    @Test
    void reload_throughTheControlSocket_answeredByTheDispatcher() throws IOException {
        Lifecycle first = service().next(Script.EXITS).coldStart();

        UpgradeResult result = BatonControl.at(first.controlPath()).reload(WAIT);

        assertThat(result.outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(result.message()).contains("exited with status 2 before it was ready");
        assertThat(BatonControl.at(first.controlPath()).status().lastReload()).isEqualTo(result.message());
    }
}
