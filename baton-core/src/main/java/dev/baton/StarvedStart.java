package dev.baton;

import dev.baton.internal.os.CpuPriority;
import dev.baton.internal.os.SystemCallException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/**
 * The predecessor's watch over a successor it started at a lower priority ({@link StartPriority}): every
 * {@link #CHECK} it looks at the CPU the successor got since the last look. Less than half a CPU mostly means the
 * CPU is busy (the serving generation and its load take it), where a lower priority only postpones the upgrade: it
 * then sets the successor's threads back to the serving nice. (A successor that waits on something else, a disk
 * or the network, gets little CPU too; it is set back as well, which costs nothing: the CPU then has room.) The
 * watch ends there, once the successor is back at the serving nice by itself (at its ready()), or once it has
 * exited.
 *
 * <p>From the predecessor, not the successor: the JVM's start before {@code Baton.open} is most of a start's CPU,
 * and the predecessor, at the serving nice, sees all of it and is not itself starved of the CPU to act.
 */
final class StarvedStart {

    /** How often the successor's CPU is looked at. */
    static final Duration CHECK = Duration.ofMillis(500);
    /** Below this share of one CPU over a check, the successor is starved. */
    static final double STARVED_SHARE = 0.5;

    private static final Logger LOG = System.getLogger("dev.baton");

    /** What the watch reads of the successor and changes: a real process, or a test's fake. */
    interface Target {
        /** The CPU time it has used; empty once it has exited. */
        Optional<Duration> cpuTime();

        /** Its main thread's nice value. */
        int nice() throws IOException;

        /** Sets every thread of it to {@code nice}; returns how many it changed. */
        int setAllThreads(int nice) throws IOException;
    }

    private final GenerationClock clock;
    private final long pid;
    private final Target target;
    private final int serving;
    private final String logPrefix;

    StarvedStart(GenerationClock clock, long pid, Target target, int serving, String logPrefix) {
        this.clock = clock;
        this.pid = pid;
        this.target = target;
        this.serving = serving;
        this.logPrefix = logPrefix;
    }

    /** The successor process {@code successor}, as the kernel shows it; changed only while it is not reaped. */
    static Target process(Successor successor) {
        long pid = successor.pid();
        return new Target() {
            @Override
            public Optional<Duration> cpuTime() {
                return successor.isAlive() ? ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                        : Optional.empty();
            }

            @Override
            public int nice() throws IOException {
                return CpuPriority.niceOf(pid, pid);
            }

            @Override
            public int setAllThreads(int nice) throws IOException {
                return successor.setPriority(nice);
            }
        };
    }

    /** Starts watching; the first look is {@link #CHECK} from now. */
    void start() {
        target.cpuTime().ifPresent(cpu -> lookAgain(clock.nanoTime(), cpu));
    }

    private void lookAgain(long sinceNanos, Duration cpuBefore) {
        try {
            clock.schedule(CHECK, () -> look(sinceNanos, cpuBefore));
        } catch (RuntimeException | OutOfMemoryError e) { // no thread for the timer
            LOG.log(Level.WARNING, logPrefix + "successor pid " + pid + " stays at a lower priority until its "
                    + "ready(): cannot watch its start (" + e + ")");
        }
    }

    private void look(long sinceNanos, Duration cpuBefore) {
        try {
            Optional<Duration> cpu = target.cpuTime();
            if (cpu.isEmpty() || target.nice() <= serving) {
                return; // exited, or back by itself at ready()
            }
            long now = clock.nanoTime();
            double share = (double) cpu.get().minus(cpuBefore).toNanos() / Math.max(1, now - sinceNanos);
            if (share >= STARVED_SHARE) {
                lookAgain(now, cpu.get());
                return;
            }
            int changed = target.setAllThreads(serving);
            if (changed == 0) {
                return; // reaped meanwhile, or set back by someone else
            }
            LOG.log(Level.INFO, String.format("%ssuccessor pid %d got %.0f%% of a CPU over %d ms at a lower priority, "
                    + "under half a CPU: back to nice %d (%d threads) before its ready(), since on a busy CPU a lower "
                    + "priority only postpones the upgrade", logPrefix, pid, share * 100,
                    Duration.ofNanos(now - sinceNanos).toMillis(), serving, changed));
        } catch (SystemCallException.AccessDenied e) {
            LOG.log(Level.WARNING, logPrefix + "cannot set successor pid " + pid + " back to nice " + serving
                    + " although it got under half a CPU: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            // it exited between two reads: its upgrade says how
        }
    }
}
