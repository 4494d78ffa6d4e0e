package dev.baton.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baton stop}: stops a running service, gracefully or at once, and waits until the process has
 * exited (bounded by {@code --wait}), so that a script's next step (a restart, a deploy) finds the port
 * and the control socket free.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a running service: it stops accepting, drains, and exits; waits until it has exited.")
final class StopCommand extends ServiceCommand {

    @Option(names = "--now", description = "Stop at once: close open connections instead of draining them.")
    boolean now;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "90s", converter = DurationConverter.class,
            description = "How long to wait for the process to exit; 0s returns at once (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        long pid = service.control().stop(now);
        out().println("stopping pid " + pid + (now ? " now" : "; it drains, then exits"));
        if (wait.isZero()) {
            return 0;
        }
        if (awaitExit(pid)) {
            out().println("pid " + pid + " exited "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms after the stop");
            return 0;
        }
        err().println("pid " + pid + " has not exited within " + wait + ": it still drains "
                + "(its drain timeout bounds that); wait longer with --wait, or close its connections with "
                + "'baton stop --now'");
        return 1;
    }

    /** Whether process {@code pid} exited within {@code --wait}. */
    private boolean awaitExit(long pid) throws InterruptedException {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true; // exited already
        }
        try {
            process.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for pid " + pid + " failed", e.getCause());
        }
    }
}
