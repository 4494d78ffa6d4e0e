package dev.baton.supervisor;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A final stop's shutdown delay in the supervised mode: a Baton worker hears of the stop at once (SIGWINCH)
 * and turns "not ready"; every worker goes on serving until the delay is over or a second stop cuts it short.
 * Thread-safe: the cut is a future completed once.
 */
final class ShutdownDelay {

    private static final Logger LOG = System.getLogger("dev.baton.supervisor");

    private final Duration delay;
    private final String logPrefix;
    private final CompletableFuture<String> cutShort = new CompletableFuture<>();

    ShutdownDelay(Duration delay, String logPrefix) {
        this.delay = delay;
        this.logPrefix = logPrefix;
    }

    /** Ends the delay now, for {@code trigger} (a second stop). */
    void cutShort(String trigger) {
        cutShort.complete(trigger);
    }

    /** Tells {@code workers} of the final stop, then waits out the delay (or its cut). */
    void await(List<Worker> workers) {
        long noticed = workers.stream().filter(Worker::noticeFinalStop).count();
        if (delay.isZero()) {
            return;
        }
        LOG.log(Level.INFO, logPrefix + "shutdown delay " + delay.toMillis() + " ms: the workers keep serving ("
                + noticed + " of " + workers.size() + " told to turn not ready), then SIGTERM");
        try {
            String cut = cutShort.get(delay.toMillis(), TimeUnit.MILLISECONDS);
            LOG.log(Level.INFO, logPrefix + "shutdown delay cut short: " + cut);
        } catch (TimeoutException e) {
            // the delay is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the cut never completes exceptionally", e);
        }
    }
}
