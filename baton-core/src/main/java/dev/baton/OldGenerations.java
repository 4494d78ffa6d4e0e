package dev.baton;

import dev.baton.internal.os.Processes;
import dev.baton.internal.protocol.Message.ProcessInfo;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The older generations still draining, as the serving generation knows them (each hands the list to
 * its successor), and the cap on how many may drain at once.
 *
 * <p>Concurrency: every method is synchronized on this object, which guards {@code draining}; it calls
 * out only to {@link Liveness}, which must not call back.
 */
final class OldGenerations {

    /**
     * How the serving generation sees and stops the older ones: {@link #PROCESSES} for real processes,
     * a fake in the state-machine tests.
     */
    interface Liveness {

        /**
         * Real processes. A draining generation that gets SIGTERM stops at once; that is how the oldest is
         * hammered. A pid is only signalled while it still names the process that started at the recorded
         * time, so a reused pid is never hit.
         */
        Liveness PROCESSES = new Liveness() {
            @Override
            public boolean isRunning(ProcessInfo generation) {
                return process(generation).isPresent();
            }

            @Override
            public void hammer(ProcessInfo generation) throws IOException {
                if (isRunning(generation)) {
                    Processes.kill(generation.pid(), Processes.SIGTERM);
                }
            }
        };

        /** Whether the generation {@code generation} names still runs. */
        boolean isRunning(ProcessInfo generation);

        /** Makes it stop draining at once. */
        void hammer(ProcessInfo generation) throws IOException;
    }

    private static final Logger LOG = System.getLogger(OldGenerations.class.getName());

    private final Liveness liveness;
    private final List<ProcessInfo> draining = new ArrayList<>();

    OldGenerations(Liveness liveness) {
        this.liveness = liveness;
    }

    synchronized void addAll(List<ProcessInfo> generations) {
        draining.addAll(generations);
    }

    /** The ones still running, oldest first. */
    synchronized List<ProcessInfo> stillDraining() {
        draining.removeIf(generation -> !liveness.isRunning(generation));
        draining.sort(Comparator.comparingInt(ProcessInfo::generation));
        return List.copyOf(draining);
    }

    /** Hammers the oldest generations until at most {@code max} drain. */
    synchronized void enforce(int max, String logPrefix) {
        List<ProcessInfo> running = new ArrayList<>(stillDraining());
        while (running.size() > max) {
            ProcessInfo oldest = running.removeFirst();
            draining.remove(oldest);
            LOG.log(Level.WARNING, logPrefix + "generation " + oldest.generation() + " (pid " + oldest.pid()
                    + ") is still draining and " + (running.size() + 1) + " old generations drain, more than "
                    + max + ": hammering it");
            try {
                liveness.hammer(oldest);
            } catch (IOException e) {
                LOG.log(Level.WARNING, logPrefix + "cannot signal generation " + oldest.generation() + ": "
                        + e.getMessage());
            }
        }
    }

    /** Whether {@code pid} has exited and waits to be reaped (state Z in {@code /proc/<pid>/stat}). */
    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException e) {
            return false; // gone, or not ours to read: the start-time check decides
        }
    }

    /**
     * The live process a record names: same pid and same start time (to the second), and not a zombie
     * (an exited generation waits as one until an init that reaps gets to it; the JDK calls it alive).
     */
    static Optional<ProcessHandle> process(ProcessInfo generation) {
        return ProcessHandle.of(generation.pid())
                .filter(ProcessHandle::isAlive)
                .filter(handle -> !isZombie(handle.pid()))
                .filter(handle -> handle.info().startInstant()
                        .map(Instant::getEpochSecond)
                        .map(started -> Math.abs(started - generation.startedEpochMillis() / 1000) <= 1)
                        .orElse(false));
    }
}
