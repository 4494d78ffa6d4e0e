package dev.baton.supervisor;

import dev.baton.internal.control.ControlServer;
import dev.baton.internal.os.DescriptorPassing;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.MessageCodec;
import dev.baton.internal.service.SystemdNotifier;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The new program image's side of the supervisor's upgrade in place: reads the carried
 * {@link SupervisorState} (untrusted input), checks the carried control socket, re-attaches every
 * worker the old image started, and answers the request that asked for the upgrade on its carried
 * connection. {@link SelfUpgrade} is the old image's side.
 */
final class TakeOver {

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");

    private final long pid;
    private final String logPrefix;
    private final SupervisorMachine machine;
    private final WorkerLauncher launcher;
    private final Retirement retirement;
    private final SupervisorControl control;
    private final SystemdNotifier systemd;
    private final PrintStream out;
    private final PrintStream err;

    TakeOver(long pid, String logPrefix, SupervisorMachine machine, WorkerLauncher launcher, Retirement retirement,
            SupervisorControl control, SystemdNotifier systemd, PrintStream out, PrintStream err) {
        this.pid = pid;
        this.logPrefix = logPrefix;
        this.machine = machine;
        this.launcher = launcher;
        this.retirement = retirement;
        this.control = control;
        this.systemd = systemd;
        this.out = out;
        this.err = err;
    }

    /**
     * Reads the state the old program image carried in {@code value}.
     *
     * @throws IOException if it is invalid, saying that nothing was started
     */
    static SupervisorState parse(String value, long ownPid) throws IOException {
        try {
            return SupervisorState.parse(value, ownPid);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + "; refusing to start (a supervisor starts afresh only when "
                    + SupervisorState.VARIABLE + " is absent)", e);
        }
    }

    /** The failure of a new image that cannot take over: answered on the carried connection, returned to throw. */
    static IOException failed(SupervisorState carried, long ownPid, Exception cause) {
        String message = "the supervisor's new program image (pid " + ownPid + ") cannot take over what the old "
                + "one carried: " + cause.getMessage() + "; its workers " + carried.workers().stream()
                .map(SupervisorState.CarriedWorker::pid).toList() + " go on serving on their own: stop them and "
                + "start the supervisor again";
        replyQuietly(carried.replyFd(), new Message.UpgradeSupervisorResult(false, ownPid, 0,
                System.currentTimeMillis() - carried.upgradeStartedEpochMillis(), message));
        return new IOException(message, cause);
    }

    /** Checks that carried {@code fd} is the control socket listening at {@code controlPath}, and readies it. */
    static int adoptControlSocket(int fd, Path controlPath) throws IOException {
        if (Sockets.family(fd) != Sockets.AF_UNIX || Sockets.type(fd) != Sockets.SOCK_SEQPACKET
                || !Sockets.isListening(fd) || !Sockets.unixPath(fd).equals(controlPath.toString())) {
            throw new IOException("carried fd " + fd + " is not the control socket listening at " + controlPath);
        }
        Descriptors.setCloseOnExec(fd, true);
        Descriptors.setNonBlocking(fd);
        return fd;
    }

    /** Re-attaches the carried workers, restores the counters, serves, and answers the request. */
    void workers(SupervisorState carried, SupervisedListeners listeners, Path controlPath,
            ControlServer controlServer) {
        LOG.log(Level.INFO, logPrefix + "new program image of pid " + pid + " (upgrade requested by "
                + carried.trigger() + "): took over the listeners " + listeners.all().stream()
                .map(l -> l.name() + "=" + l.address() + " (fd " + l.fd() + ")").toList() + " and the control socket "
                + controlPath + " (fd " + controlServer.descriptor() + ")");
        int reply = replyConnection(carried.replyFd());
        List<String> kept = new ArrayList<>();
        for (SupervisorState.CarriedWorker c : carried.workers()) {
            Worker worker = reattach(c);
            if (worker != null) {
                kept.add(worker.describe() + " " + c.state());
            }
        }
        boolean restarting = machine.tookOver(carried.nextGeneration(), carried.backoffMillis(), carried.lastReload());
        long elapsed = Math.max(0, System.currentTimeMillis() - carried.upgradeStartedEpochMillis());
        String message = "supervisor pid " + pid + " upgraded in place in " + elapsed + " ms; " + kept.size()
                + " workers kept " + kept + (restarting ? "; none serves: restarting one" : "");
        LOG.log(Level.INFO, logPrefix + message);
        systemd.send("READY=1\nMAINPID=" + pid + "\nSTATUS=serving (supervisor upgraded in place)");
        if (reply >= 0) {
            replyQuietly(reply, new Message.UpgradeSupervisorResult(true, pid, kept.size(), elapsed, message));
            LOG.log(Level.INFO, logPrefix + "answered " + carried.trigger() + " on the carried connection (fd "
                    + reply + ")");
        }
        control.tookOver();
    }

    /** The carried connection to answer on, or -1 if there is none or it is not a control connection. */
    private int replyConnection(int reply) {
        if (reply < 0) {
            return reply;
        }
        try {
            Descriptors.setCloseOnExec(reply, true);
            if (Sockets.type(reply) != Sockets.SOCK_SEQPACKET || Sockets.isListening(reply)) {
                LOG.log(Level.WARNING, logPrefix + "carried fd " + reply + " is not a control connection; "
                        + "not answering on it");
                return -1;
            }
            return reply;
        } catch (IOException e) {
            LOG.log(Level.WARNING, logPrefix + "carried connection fd " + reply + ": " + e.getMessage());
            return -1;
        }
    }

    /** Re-attaches one carried worker; null (logged, its descriptors closed) if it cannot be. */
    private Worker reattach(SupervisorState.CarriedWorker c) {
        Worker worker;
        try {
            worker = Worker.adopt(c, out, err, logPrefix);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, logPrefix + "cannot re-attach worker " + c.generation() + " (pid " + c.pid()
                    + "): " + e.getMessage() + "; left alone");
            for (int fd : new int[] {c.stdoutFd(), c.stderrFd(), c.notifyFd()}) {
                if (fd >= 0) {
                    Descriptors.closeQuietly(fd);
                }
            }
            return null;
        }
        machine.adopt(worker);
        launcher.follow(worker);
        LOG.log(Level.INFO, logPrefix + "re-attached " + worker.describe() + ", " + c.state()
                + ", output from fds " + c.stdoutFd() + "/" + c.stderrFd()
                + (c.notifyFd() < 0 ? "" : ", notify socket fd " + c.notifyFd()));
        if (c.state().equals("draining") || c.state().equals("stopping")) {
            long deadline = c.drainDeadlineEpochMillis() > 0 ? c.drainDeadlineEpochMillis()
                    : System.currentTimeMillis() + Retirement.STOP_GRACE.toMillis();
            retirement.killAfter(worker, Duration.ofMillis(Math.max(0, deadline - System.currentTimeMillis())), "");
        }
        return worker;
    }

    /** Sends {@code message} on a carried control connection and closes it; a failure is only logged. */
    private static void replyQuietly(int fd, Message message) {
        if (fd < 0) {
            return;
        }
        try {
            Sockets.setTimeouts(fd, Duration.ofSeconds(5));
            DescriptorPassing.send(fd, MessageCodec.encode(message), new int[0]);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot answer on the carried control connection (fd " + fd + "): "
                    + e.getMessage());
        } finally {
            Descriptors.closeQuietly(fd);
        }
    }
}
