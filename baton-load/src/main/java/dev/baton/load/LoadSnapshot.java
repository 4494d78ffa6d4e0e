package dev.baton.load;

import java.time.Duration;
import java.util.Locale;

/**
 * The progress of a run at one moment, cheap enough to take every second for a progress line.
 *
 * @param elapsed the time since the run started
 * @param successes the requests answered with a 2xx status so far
 * @param failures the failed requests so far, of every kind
 * @param abandoned the requests abandoned because the run was stopped
 * @param distinctPids how many distinct {@code pid=} values answered so far
 * @param done whether every worker has ended
 */
public record LoadSnapshot(Duration elapsed, long successes, long failures, long abandoned, int distinctPids, boolean done) {

    /** The requests completed so far: successes plus failures. */
    public long requests() {
        return successes + failures;
    }

    /** The mean rate of completed requests per second since the run started. */
    public double requestsPerSecond() {
        long nanos = elapsed.toNanos();
        return nanos <= 0 ? 0 : requests() * 1e9 / nanos;
    }

    /**
     * The rate of completed requests per second between {@code earlier} and this snapshot, or the
     * mean rate since the start if no time passed between them.
     */
    public double requestsPerSecondSince(LoadSnapshot earlier) {
        long nanos = elapsed.toNanos() - earlier.elapsed.toNanos();
        return nanos <= 0 ? requestsPerSecond() : (requests() - earlier.requests()) * 1e9 / nanos;
    }

    /**
     * The snapshot as a progress line, for example
     * {@code 5.0 s  requests 102,345  failed 0  20,469 req/s  pids 2}, with the mean rate.
     */
    public String toProgressLine() {
        return String.format(Locale.ROOT, "%5.1f s  requests %,d  failed %,d  %,.0f req/s  pids %d",
                elapsed.toNanos() / 1e9, requests(), failures, requestsPerSecond(), distinctPids);
    }
}
