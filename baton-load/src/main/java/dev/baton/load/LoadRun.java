package dev.baton.load;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A load run in progress, started by {@link LoadGenerator#start(LoadOptions)}; it ends by itself
 * when its duration or request limit is reached, or promptly on {@link #stop()}.
 *
 * <p>All methods are safe to call from any thread.
 */
public sealed interface LoadRun extends AutoCloseable permits LoadEngine {

    /** The options this run was started with. */
    LoadOptions options();

    /** The progress so far; cheap, never blocks. */
    LoadSnapshot snapshot();

    /**
     * Waits for the run to end by itself and returns its report.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if a worker failed with an unexpected error (a bug, not a failed
     *     request); the run was stopped and the error is the cause
     */
    LoadReport awaitEnd() throws InterruptedException;

    /**
     * Waits at most {@code timeout} for the run to end by itself and returns its report.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws TimeoutException if the run has not ended within {@code timeout}
     * @throws IllegalStateException if a worker failed with an unexpected error, as for {@link #awaitEnd()}
     */
    LoadReport awaitEnd(Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Stops the run promptly and returns its report: no new request starts, and the connections of
     * requests in flight are closed. Those requests are counted as abandoned, never as failures.
     * Calling it after the run ended returns the same report.
     *
     * @throws InterruptedException if the calling thread is interrupted while the workers end
     * @throws IllegalStateException if a worker failed with an unexpected error, as for {@link #awaitEnd()}
     */
    LoadReport stop() throws InterruptedException;

    /**
     * Stops the run as {@link #stop()} does and waits for its workers to end; if interrupted
     * meanwhile, returns at once with the interrupt status kept. Errors of the run are left to
     * {@link #awaitEnd()}.
     */
    @Override
    void close();
}
