package dev.baton.load;

import java.time.Duration;

/**
 * The latency distribution of a run's successful requests, from the first byte of work on a
 * request (including any connect it needed) to its complete response.
 *
 * <p>Percentiles are by nearest rank and exact to within 0.2%; {@code max} is exact. All values are
 * zero when there was no successful request.
 *
 * @param count the number of latencies measured: the run's successful requests
 * @param mean the mean latency
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the largest latency
 */
public record Latency(long count, Duration mean, Duration p50, Duration p90, Duration p99, Duration p999, Duration max) {

    /**
     * Checks the values.
     *
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public Latency {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        if (mean == null || p50 == null || p90 == null || p99 == null || p999 == null || max == null) {
            throw new NullPointerException("latency durations must not be null");
        }
    }

    /** The three figures a report leads with: {@code p50 0.412 ms   p99 4.81 ms   max 48.2 ms}. */
    public String headline() {
        return "p50 " + ReportFormat.latency(p50) + "   p99 " + ReportFormat.latency(p99) + "   max "
                + ReportFormat.latency(max);
    }
}
