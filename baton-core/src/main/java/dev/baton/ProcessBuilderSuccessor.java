package dev.baton;

import dev.baton.internal.os.CpuPriority;
import dev.baton.internal.os.Uninterruptibly;
import dev.baton.internal.service.DescriptorUsage;
import dev.baton.internal.service.ExitDescription;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A successor started with {@code ProcessBuilder}, where {@link SuccessorProcess} cannot be (a C library
 * older than glibc 2.36, a kernel without pidfds): the same command line run again, its output relayed
 * through this process until it is ready. It inherits no listener at its spawn (ProcessBuilder closes
 * every descriptor above 2 in the child): it gets them at the handover only, so a predecessor that dies
 * before that leaves it to bind them afresh, refusing connections meanwhile.
 */
final class ProcessBuilderSuccessor implements Successor {

    private static final Logger LOG = System.getLogger(ProcessBuilderSuccessor.class.getName());

    private final Process process;
    private final SuccessorOutput output;

    private ProcessBuilderSuccessor(Process process) {
        this.process = process;
        this.output = new SuccessorOutput(process.getInputStream(), process.getErrorStream());
    }

    /**
     * Starts {@code command} with this process's environment, less {@code remove}, plus {@code add}.
     *
     * @throws IOException if it cannot be started at all (a missing executable, for instance)
     */
    static ProcessBuilderSuccessor start(List<String> command, Map<String, String> add, List<String> remove)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        remove.forEach(builder.environment()::remove);
        builder.environment().putAll(add);
        builder.redirectInput(SuccessorStdin.shareable() ? ProcessBuilder.Redirect.INHERIT
                : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            int nice = StartPriority.startingNice(add);
            return watched(nice < 0 ? builder.start() : CpuPriority.spawnAt(nice, builder::start));
        } catch (IOException e) {
            throw DescriptorUsage.explained(e).orElse(e);
        } catch (Exception e) {
            throw new IOException("cannot start the successor: " + e, e);
        }
    }

    /** {@code process}, with its output relayed; killed and reaped if no thread can be started to relay it. */
    private static ProcessBuilderSuccessor watched(Process process) throws IOException {
        try {
            return new ProcessBuilderSuccessor(process);
        } catch (OutOfMemoryError | RuntimeException e) { // "unable to create native thread"
            process.destroyForcibly();
            // waitFor, not onExit(): its completion needs a pool thread, which may not start; the JDK's reaper
            // thread, started before this process ran out of them, ends the wait
            Uninterruptibly.await(process::waitFor);
            throw UnwatchedSuccessor.killed(process.pid(), e);
        }
    }

    @Override
    public int setPriority(int nice) throws IOException {
        // The JDK reaps the child on its own thread, with no hold to take: a reap between the check and the change
        // is left possible, in the microseconds between them (the posix_spawn path closes that window).
        return process.isAlive() ? CpuPriority.setAllThreads(process.pid(), nice) : 0;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the successor: SIGTERM, then SIGKILL if it has not exited within {@code grace}; returns once
     * it has exited and been reaped.
     */
    @Override
    public void stop(Duration grace, String logPrefix) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(Level.WARNING, logPrefix + "successor pid " + process.pid() + " did not exit within "
                            + grace.toSeconds() + "s of SIGTERM; sending SIGKILL");
                    process.destroyForcibly();
                }
                process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean exitedCleanly() {
        return !process.isAlive() && process.exitValue() == 0;
    }

    /** How it exited, as the JDK reports it: 128 + N may be the signal N (see {@link ExitDescription}). */
    @Override
    public String exitDescription() {
        return ExitDescription.ofExitValue(process.exitValue());
    }

    @Override
    public List<String> lastLines() {
        return output.lastLines();
    }
}
