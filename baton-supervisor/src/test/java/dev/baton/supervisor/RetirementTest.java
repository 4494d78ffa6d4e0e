package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.internal.os.ChildProcesses.ExitStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retiring old workers without a process: workers never started (no pid, so kill() only records it)
 * and a scheduler that keeps the deadlines for the test to fire.
 */
class RetirementTest {

    private record Timer(Duration delay, Runnable task) {}

    private final List<Timer> timers = new ArrayList<>();
    private final SupervisorMachine machine = new SupervisorMachine("", false, delay -> { });
    private final Retirement retirement = new Retirement(Duration.ofSeconds(30), 2, machine,
            (delay, task) -> timers.add(new Timer(delay, task)), "");

    private Worker running(int generation) {
        Worker worker = new Worker(generation, "");
        machine.launched(worker);
        worker.moveTo(Worker.State.SERVING);
        return worker;
    }

    @Test
    void retire_servingWorker_drainsWithADeadline_killedOnlyIfItStillRunsThen() {
        Worker stays = running(1);
        Worker exits = running(2);

        retirement.retire(stays, "replaced");
        retirement.retire(exits, "replaced");
        exits.exit.complete(new ExitStatus(0, 0));
        timers.forEach(timer -> timer.task().run());

        assertThat(stays.state()).isEqualTo(Worker.State.DRAINING);
        assertThat(stays.drainDeadlineEpochMillis()).isGreaterThan(System.currentTimeMillis() + 29_000);
        assertThat(timers).extracting(Timer::delay).containsOnly(Duration.ofSeconds(30));
        assertThat(stays.wasKilled()).isTrue();
        assertThat(exits.wasKilled()).isFalse();
    }

    @Test
    void retire_workerExits_itsDrainIsReported_fromItsSigtermToItsExit() {
        List<Duration> drains = new ArrayList<>();
        Retirement reporting = new Retirement(Duration.ofSeconds(30), 2, machine,
                (delay, task) -> timers.add(new Timer(delay, task)), "", drains::add);
        Worker old = running(1);
        long before = System.nanoTime();

        reporting.retire(old, "replaced");
        assertThat(drains).as("still draining").isEmpty();
        old.exit.complete(new ExitStatus(0, 0));
        long elapsed = System.nanoTime() - before;

        assertThat(drains).hasSize(1);
        assertThat(drains.getFirst().isNegative()).as("%s", drains).isFalse();
        assertThat(drains.getFirst()).isLessThanOrEqualTo(Duration.ofNanos(elapsed));
    }

    @Test
    void retire_pastTheDrainingCap_oldestDrainingWorkerIsKilled() {
        Worker oldest = running(1);
        Worker second = running(2);
        Worker third = running(3);

        retirement.retire(oldest, "replaced");
        retirement.retire(second, "replaced");
        assertThat(oldest.wasKilled()).isFalse();
        retirement.retire(third, "replaced");

        assertThat(oldest.wasKilled()).isTrue();
        assertThat(second.wasKilled()).isFalse();
        assertThat(third.wasKilled()).isFalse();
    }
}
