package dev.baton.supervisor;

import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.ControlServer;
import dev.baton.internal.control.Refusals;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Exec;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.protocol.Message;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The old program image's side of the supervisor's upgrade in place: pauses the control socket and
 * the reaper, writes what the new image needs into a {@link SupervisorState} (duplicating every
 * descriptor it carries), runs the program it would execute once in check mode ({@link SelfCheck}) and
 * only then re-executes the supervisor's own command line ({@code execve}: same pid, the workers stay
 * its children; the signals it answers held across, see {@code HeldSignals}). Returns only if that could not be done, after which everything is
 * as it was. {@link TakeOver} is the new image's side.
 */
final class SelfUpgrade {

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");
    private static final Duration QUIET_WAIT = Duration.ofSeconds(5);

    private final Supervisor supervisor;
    private final SupervisorMachine machine;
    private final SupervisedListeners listeners;
    private final ControlServer controlServer;
    private final SupervisorControl control;
    private final Reaper reaper;
    private final SupervisorThreads threads;
    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;
    private final String logPrefix;

    SelfUpgrade(Supervisor supervisor, SupervisorMachine machine, SupervisedListeners listeners,
            ControlServer controlServer, SupervisorControl control, Reaper reaper, SupervisorThreads threads,
            Map<String, String> environment, PrintStream out, PrintStream err, String logPrefix) {
        this.supervisor = supervisor;
        this.machine = machine;
        this.listeners = listeners;
        this.controlServer = controlServer;
        this.control = control;
        this.reaper = reaper;
        this.threads = threads;
        this.environment = environment;
        this.out = out;
        this.err = err;
        this.logPrefix = logPrefix;
    }

    /**
     * Upgrades for a control request, whose connection the new image answers on (carried too), or for a
     * signal ({@code channel} null). Returns the refusal or the failure otherwise.
     */
    Message forRequest(String trigger, ControlChannel channel) {
        CompletableFuture<Message> outcome = new CompletableFuture<>();
        // execve from a platform thread: the signal mask it resets belongs to one OS thread.
        threads.start("baton-upgrade-supervisor", () -> {
            try {
                outcome.complete(reexecute(trigger, channel));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        try {
            return outcome.join();
        } catch (CompletionException e) {
            return new Message.UpgradeSupervisorResult(false, supervisor.pid(), machine.workerCount(), 0,
                    "the upgrade failed unexpectedly: " + e.getCause());
        }
    }

    private Message reexecute(String trigger, ControlChannel channel) {
        long beganEpochMillis = System.currentTimeMillis();
        long began = System.nanoTime();
        String refusal = machine.beginUpgrade();
        if (refusal != null) {
            LOG.log(Level.WARNING, logPrefix + "upgrade of the supervisor requested by " + trigger + " refused: "
                    + refusal);
            return new Message.Refused(Refusals.cannotUpgradeSupervisor(refusal));
        }
        LOG.log(Level.INFO, logPrefix + "upgrading the supervisor in place, requested by " + trigger
                + ": pausing the control socket and the reaper");
        List<Integer> carried = new ArrayList<>();
        int[] madeCloseOnExec = new int[0];
        try {
            SelfExec.Program program = SelfExec.program(environment);
            controlServer.pause();
            awaitQuietControl(channel == null ? 0 : 1);
            if (!reaper.pause()) {
                throw new IOException("the worker reaper did not pause");
            }
            SupervisorState snapshot = snapshot(trigger, beganEpochMillis, channel, carried);
            List<String> environmentOfNewImage = SelfExec.environment(environment, snapshot.encode());
            long checking = System.nanoTime();
            SelfCheck.run(program, environmentOfNewImage);
            LOG.log(Level.INFO, logPrefix + "the new program " + program.path() + " passed its check in "
                    + Duration.ofNanos(System.nanoTime() - checking).toMillis() + " ms");
            for (int fd : carried) {
                Descriptors.setCloseOnExec(fd, false);
            }
            madeCloseOnExec = Exec.closeOnExecAllExcept(Set.copyOf(carried));
            logExec(program, snapshot, carried, madeCloseOnExec.length);
            out.flush();
            err.flush();
            System.out.flush();
            System.err.flush();
            Exec.execve(program.path(), program.arguments(), environmentOfNewImage, machine::commitExec);
            throw new IOException("execve returned");
        } catch (IOException | RuntimeException e) {
            int failedRestores = Exec.makeInheritable(madeCloseOnExec);
            carried.forEach(Descriptors::closeQuietly);
            SupervisorMachine.Rollback rollback = machine.upgradeFailed();
            reaper.resume();
            controlServer.resume();
            String message = "the supervisor could not re-execute itself: " + e.getMessage() + "; nothing changed: pid "
                    + supervisor.pid() + " goes on " + (rollback.restarting() ? "restarting its worker" : "serving")
                    + " with the same listeners and " + machine.workerCount() + " workers"
                    + (failedRestores == 0 ? "" : " (" + failedRestores + " descriptors were closed meanwhile)");
            LOG.log(Level.WARNING, logPrefix + message);
            if (rollback.stop() != null) {
                supervisor.stop(rollback.stop().now(), rollback.stop().trigger());
            }
            return new Message.UpgradeSupervisorResult(false, supervisor.pid(), machine.workerCount(),
                    Duration.ofNanos(System.nanoTime() - began).toMillis(), message);
        }
    }

    private void logExec(SelfExec.Program program, SupervisorState snapshot, List<Integer> carried, int others) {
        String arguments = String.join(" ", program.arguments().subList(1, program.arguments().size()));
        LOG.log(Level.INFO, logPrefix + "re-executing " + program.path() + " ("
                + (arguments.length() <= 160 ? arguments : arguments.substring(0, 160) + "...") + ") as pid "
                + supervisor.pid() + ", carrying " + snapshot.listeners().size() + " listeners, the control socket (fd "
                + snapshot.controlFd() + ")"
                + (snapshot.replyFd() < 0 ? "" : ", the request's connection (fd " + snapshot.replyFd() + ")")
                + " and " + snapshot.workers().size() + " workers " + snapshot.workers().stream()
                .map(w -> "pid " + w.pid() + " (" + w.state() + ")").toList() + "; descriptors " + carried
                + "; " + others + " others marked close-on-exec");
    }

    /** Waits until at most {@code own} control requests are being served (the upgrade's own). */
    private void awaitQuietControl(int own) throws IOException {
        long deadline = System.nanoTime() + QUIET_WAIT.toNanos();
        try {
            Thread.sleep(20); // a connection accepted just before the pause reaches its handler
            while (control.activeRequests() > own) {
                if (System.nanoTime() > deadline) {
                    throw new IOException((control.activeRequests() - own) + " other control requests are still "
                            + "being served after " + QUIET_WAIT.toSeconds() + "s");
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for control requests to finish", e);
        }
    }

    /**
     * What the new program image gets, with duplicates of every descriptor it needs (added to
     * {@code carried} as they are made, so a failure closes them).
     */
    private SupervisorState snapshot(String trigger, long beganEpochMillis, ControlChannel channel,
            List<Integer> carried) throws IOException {
        int controlFd = carry(controlServer.descriptor(), carried);
        if (Sockets.type(controlFd) != Sockets.SOCK_SEQPACKET || !Sockets.isListening(controlFd)) {
            throw new IOException("the control socket no longer listens");
        }
        int reply = channel == null ? -1 : carry(channel.descriptor(), carried);
        List<SupervisorState.Listener> carriedListeners = new ArrayList<>();
        for (SupervisedListeners.Bound listener : listeners.all()) {
            carriedListeners.add(new SupervisorState.Listener(listener.name(), listener.address(),
                    carry(listener.fd(), carried), listener.unixPath() == null ? null : listener.unixPath().toString(),
                    listener.activated()));
        }
        SupervisorMachine.Carried state = machine.carry(carried);
        return new SupervisorState(supervisor.pid(), beganEpochMillis, trigger, state.nextGeneration(),
                state.backoffMillis(), state.lastReload(), controlFd, reply, carriedListeners, state.workers());
    }

    private static int carry(int fd, List<Integer> carried) throws IOException {
        int copy = Descriptors.duplicate(fd, 3);
        carried.add(copy);
        return copy;
    }
}
