package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import dev.baton.internal.os.ChildProcesses.ExitStatus;
import dev.baton.internal.protocol.Message.ListenerSpec;
import dev.baton.supervisor.SupervisorMachine.State;
import dev.baton.supervisor.SupervisorMachine.StopAction;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The supervisor's state machine alone, without a process: workers that were never started (no pid,
 * so no signal is ever sent) and a restart seam that records the delays it was asked for.
 */
@Timeout(10)
class SupervisorMachineTest {

    private final List<Duration> restarts = new CopyOnWriteArrayList<>();
    private final SupervisorMachine machine = new SupervisorMachine("", false, restarts::add);

    /** The machine serving worker 1. */
    private Worker serving() {
        Worker first = launched(machine.beginStart());
        machine.settled(first);
        assertThat(machine.firstReady(first)).isTrue();
        return first;
    }

    /** A worker of {@code generation}, started and waited for. */
    private Worker launched(int generation) {
        Worker worker = new Worker(generation, "");
        machine.launched(worker);
        return worker;
    }

    private static LaunchAttempt ready(Worker worker) {
        LaunchAttempt attempt = new LaunchAttempt(worker.generation);
        attempt.worker = worker;
        return attempt;
    }

    private static LaunchAttempt failed(Worker worker, String why) {
        LaunchAttempt attempt = ready(worker);
        attempt.failure = why;
        return attempt;
    }

    private String lastReload() {
        return machine.status(1, "svc", List.of(new ListenerSpec("http", ":8080"))).lastReload();
    }

    @Test
    void status_servingAndAReloadStarting_supervisedWithEveryLiveWorker() {
        serving();
        Worker second = launched(machine.beginReload().generation());

        ServiceStatus status = machine.status(7, "svc", List.of(new ListenerSpec("http", ":8080")));

        assertThat(status.mode()).isEqualTo(ServiceStatus.Mode.SUPERVISED);
        assertThat(status.state()).isEqualTo(ServiceStatus.State.RELOADING);
        assertThat(status.listeners()).containsExactly("http=:8080");
        assertThat(status.processes()).extracting(ServiceStatus.ProcessStatus::generation, ServiceStatus.ProcessStatus::state)
                .containsExactly(tuple(1, ServiceStatus.State.SERVING), tuple(second.generation, ServiceStatus.State.STARTING));
    }

    @Test
    void everyState_isShownAsAStatusState_executingAsUpgrading() {
        for (State state : State.values()) {
            assertThat(state.shown()).hasToString(state == State.EXECUTING ? "upgrading" : state.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Test
    void start_firstWorkerReady_serves_andASecondStartIsRefused() {
        Worker first = serving();

        assertThat(machine.state()).isEqualTo(State.SERVING);
        assertThat(first.state()).isEqualTo(Worker.State.SERVING);
        assertThat(machine.status(1, "svc", List.of()).state()).hasToString("serving");
        assertThatThrownBy(machine::beginStart).isInstanceOf(IllegalStateException.class)
                .hasMessage("start() called in state SERVING");
    }

    @Test
    void reload_beforeTheFirstWorkerIsReady_refused() {
        launched(machine.beginStart());

        SupervisorMachine.ReloadStart start = machine.beginReload();

        assertThat(start.refusal()).isEqualTo("the first worker is not ready yet");
        assertThat(machine.state()).isEqualTo(State.STARTING);
    }

    @Test
    void reload_newWorkerReady_itServesAndTheOldOneIsRetired() {
        Worker first = serving();

        SupervisorMachine.ReloadStart start = machine.beginReload();
        Worker second = launched(start.generation());
        String refusal = machine.beginReload().refusal();
        machine.settled(second);
        SupervisorMachine.ReloadEnd end = machine.endReload(ready(second), start.old());

        assertThat(start.old()).isSameAs(first);
        assertThat(start.generation()).isEqualTo(2);
        assertThat(refusal).isEqualTo("a reload is already under way (worker 2 (pid 0) starting)");
        assertThat(end.result().outcome()).isEqualTo(UpgradeResult.Outcome.SUCCEEDED);
        assertThat(end.retired()).isSameAs(first);
        assertThat(machine.state()).isEqualTo(State.SERVING);
        assertThat(second.state()).isEqualTo(Worker.State.SERVING);
        assertThat(lastReload()).startsWith("worker 2 (pid 0) is ready after ").endsWith("; worker 1 (pid 0) drains");
    }

    @Test
    void reload_newWorkerFails_oldKeepsServing_noRestart() {
        serving();

        SupervisorMachine.ReloadStart start = machine.beginReload();
        LaunchAttempt attempt = failed(new Worker(start.generation(), ""), "was not ready within 1s");
        attempt.stoppedByUs = true;
        SupervisorMachine.ReloadEnd end = machine.endReload(attempt, start.old());

        assertThat(end.result().outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(end.retired()).isNull();
        assertThat(end.result().message()).isEqualTo("worker 2 (pid 0) was not ready within 1s; stopped it; "
                + "worker 1 (pid 0) still serves");
        assertThat(machine.state()).isEqualTo(State.SERVING);
        assertThat(restarts).isEmpty();
    }

    @Test
    void reload_oldWorkerCrashesMeanwhileAndNewOneFails_restartsAfter100ms() {
        Worker first = serving();
        SupervisorMachine.ReloadStart start = machine.beginReload();

        machine.exited(first, new ExitStatus(1, 0));
        SupervisorMachine.ReloadEnd end = machine.endReload(failed(new Worker(start.generation(), ""),
                "exited with status 1 before it was ready"), start.old());

        assertThat(end.result().message()).endsWith("; no worker serves, restarting");
        assertThat(machine.state()).isEqualTo(State.RESTARTING);
        assertThat(restarts).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void crash_servingWorkerExits_restartsWithADoublingBackoff_untilOneServes() {
        Worker first = serving();

        machine.exited(first, new ExitStatus(0, 9));
        int second = machine.beginRestart().orElseThrow();
        machine.endRestart(failed(new Worker(second, ""), "exited with status 1 before it was ready"));
        int third = machine.beginRestart().orElseThrow();
        machine.endRestart(ready(launched(third)));

        assertThat(List.of(second, third)).containsExactly(2, 3);
        assertThat(restarts).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(machine.state()).isEqualTo(State.SERVING);
        assertThat(machine.beginRestart()).isEmpty();
    }

    @Test
    void crash_drainingWorkerExits_noRestart() {
        Worker first = serving();
        Worker second = launched(machine.beginReload().generation());
        machine.endReload(ready(second), first);
        first.moveTo(Worker.State.DRAINING);

        machine.exited(first, new ExitStatus(0, 15));

        assertThat(machine.state()).isEqualTo(State.SERVING);
        assertThat(machine.workers()).containsExactly(second);
        assertThat(restarts).isEmpty();
    }

    @Test
    void stop_whileServing_stopsEveryWorker_aSecondStopKills_afterStoppedNothing() {
        Worker first = serving();

        SupervisorMachine.Stop stop = machine.beginStop(false, "SIGTERM");
        SupervisorMachine.Stop again = machine.beginStop(false, "SIGTERM");
        machine.stopped();
        SupervisorMachine.Stop late = machine.beginStop(true, "baton stop --now");

        assertThat(stop.action()).isEqualTo(StopAction.STOP_ALL);
        assertThat(stop.workers()).containsExactly(first);
        assertThat(again.action()).isEqualTo(StopAction.KILL_ALL);
        assertThat(late.action()).isEqualTo(StopAction.NONE);
        assertThat(machine.beginReload().refusal()).isEqualTo("the supervisor is stopping");
    }

    @Test
    void stop_whileUpgradingItself_deferredUntilTheUpgradeFails_thenCarriedOutOnce_nowIfAnyAskedNow() {
        serving();
        assertThat(machine.beginUpgrade()).isNull();

        SupervisorMachine.Stop stop = machine.beginStop(true, "baton stop --now");
        machine.beginStop(false, "SIGINT");
        assertThatThrownBy(machine::commitExec).isInstanceOf(IOException.class)
                .hasMessage("abandoned: SIGINT asked the supervisor to stop");
        SupervisorMachine.Rollback rollback = machine.upgradeFailed();

        assertThat(stop.action()).isEqualTo(StopAction.NONE);
        assertThat(rollback.stop()).isEqualTo(new SupervisorMachine.PendingStop(true, "SIGINT"));
        assertThat(rollback.restarting()).isFalse();
        assertThat(machine.state()).isEqualTo(State.SERVING);
        assertThat(machine.upgradeFailed().stop()).isNull();
    }

    @Test
    void stop_onceCommittedToExecve_isLost_andStatusStillSaysUpgrading() throws IOException {
        serving();
        machine.beginUpgrade();
        machine.commitExec();

        SupervisorMachine.Stop stop = machine.beginStop(false, "SIGTERM");

        assertThat(stop.action()).isEqualTo(StopAction.NONE);
        assertThat(machine.state()).isEqualTo(State.EXECUTING);
        assertThat(machine.status(1, "svc", List.of()).state()).hasToString("upgrading");
        assertThat(machine.beginUpgrade()).isEqualTo("an upgrade of the supervisor is already under way");
        assertThat(machine.upgradeFailed().stop()).isNull();
        assertThat(machine.state()).isEqualTo(State.SERVING);
    }

    @Test
    void upgradeSelf_whileReloading_refused_andTheReloadIsUnaffected() {
        serving();
        machine.beginReload();

        assertThat(machine.beginUpgrade())
                .isEqualTo("a reload is under way; one thing at a time: try again once it is done");
        assertThat(machine.state()).isEqualTo(State.RELOADING);
    }

    @Test
    void takeOver_noCarriedWorkerServes_restartsAtTheCarriedBackoff() {
        SupervisorMachine image = new SupervisorMachine("", true, restarts::add);
        Worker draining = new Worker(3, "");
        draining.moveTo(Worker.State.DRAINING);
        image.adopt(draining);

        boolean restarting = image.tookOver(5, 1600, "worker 4 failed");

        assertThat(restarting).isTrue();
        assertThat(image.state()).isEqualTo(State.RESTARTING);
        assertThat(restarts).containsExactly(Duration.ofMillis(1600));
        assertThat(image.beginRestart()).hasValue(5);
        assertThat(image.status(1, "svc", List.of()).lastReload()).isEqualTo("worker 4 failed");
    }

    @Test
    void awaitNoWorkers_lastWorkerReaped_returnsTrue_elseFalseAfterTheTimeout() throws Exception {
        Worker first = serving();
        machine.beginStop(false, "SIGTERM");
        assertThat(machine.awaitNoWorkers(Duration.ofMillis(20))).isFalse();

        Thread reaper = Thread.ofPlatform().start(() -> machine.exited(first, new ExitStatus(0, 0)));

        assertThat(machine.awaitNoWorkers(Duration.ofSeconds(5))).isTrue();
        reaper.join();
    }

    @Test
    void reload_calledFromManyThreadsAtOnce_exactlyOneBegins() throws Exception {
        serving();
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger begun = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> calls = new CopyOnWriteArrayList<>();
            for (int i = 0; i < threads; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    if (machine.beginReload().refusal() == null) {
                        begun.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> call : calls) {
                call.get(5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(begun).hasValue(1);
        assertThat(machine.state()).isEqualTo(State.RELOADING);
    }
}
