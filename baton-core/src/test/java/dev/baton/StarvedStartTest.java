package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.internal.os.SystemCallFailures;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The predecessor's watch over a successor started lower: what it does with the CPU the successor got. */
class StarvedStartTest {

    private static final int SERVING = 0;
    private static final int LOWER = 10;

    private final ManualClock clock = new ManualClock();
    private final FakeTarget successor = new FakeTarget();
    private final StarvedStart watch = new StarvedStart(clock, 4242, successor, SERVING, "");

    @Test
    void starved_setBackToTheServingNice_andTheWatchEnds() {
        watch.start();
        successor.uses(Duration.ofMillis(100)); // a fifth of a CPU over the check

        clock.advance(StarvedStart.CHECK);

        assertThat(successor.setTo).containsExactly(SERVING);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void givenCpu_staysLower_untilItIsStarved() {
        watch.start();
        successor.uses(Duration.ofMillis(900)); // nearly two CPUs: the machine has CPU to spare
        clock.advance(StarvedStart.CHECK);
        assertThat(successor.setTo).isEmpty();
        assertThat(clock.pending()).as("it looks again").isOne();

        successor.uses(Duration.ofMillis(200)); // the load took the CPU: 40% of one
        clock.advance(StarvedStart.CHECK);

        assertThat(successor.setTo).containsExactly(SERVING);
    }

    @Test
    void aLateLook_dividesByTheTimeThatPassed_notByTheCheck() {
        watch.start();
        successor.uses(Duration.ofMillis(400)); // 400 ms of CPU: enough over 500 ms, starved over a late 1,000 ms

        clock.advance(StarvedStart.CHECK.multipliedBy(2));

        assertThat(successor.setTo).containsExactly(SERVING);
    }

    @Test
    void notPermitted_staysLower_andTheWatchEnds() {
        successor.denied = true;
        watch.start();
        successor.uses(Duration.ofMillis(50));

        clock.advance(StarvedStart.CHECK);

        assertThat(successor.nice).isEqualTo(LOWER);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void backByItselfAtReady_orExited_theWatchEndsWithoutAChange() {
        watch.start();
        successor.nice = SERVING; // it said ready and set itself back
        clock.advance(StarvedStart.CHECK);
        assertThat(clock.pending()).isZero();

        StarvedStart another = new StarvedStart(clock, 4243, successor, SERVING, "");
        successor.nice = LOWER;
        another.start();
        successor.exited = true;
        clock.advance(StarvedStart.CHECK);

        assertThat(clock.pending()).isZero();
        assertThat(successor.setTo).isEmpty();
    }

    @Test
    void noThreadForTheTimer_staysLowerUntilReady_withoutThrowing() {
        clock.failNextSchedule(new OutOfMemoryError("unable to create native thread"));

        watch.start();

        assertThat(clock.pending()).isZero();
        assertThat(successor.setTo).isEmpty();
    }

    private static final class FakeTarget implements StarvedStart.Target {
        Duration cpu = Duration.ofMillis(300);
        int nice = LOWER;
        boolean exited;
        boolean denied;
        final List<Integer> setTo = new ArrayList<>();

        void uses(Duration more) {
            cpu = cpu.plus(more);
        }

        @Override
        public Optional<Duration> cpuTime() {
            return exited ? Optional.empty() : Optional.of(cpu);
        }

        @Override
        public int nice() {
            return nice; // the last value, even once exited: only cpuTime() tells the exit
        }

        @Override
        public int setAllThreads(int value) throws IOException {
            if (denied) {
                throw SystemCallFailures.notPermitted("setpriority(PRIO_PROCESS, tid 4242, 0)");
            }
            setTo.add(value);
            nice = value;
            return 18;
        }
    }
}
