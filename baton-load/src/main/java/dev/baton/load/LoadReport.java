package dev.baton.load;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a load run: every request counted, failures by kind, latency, and which server
 * processes answered.
 *
 * <p>A request is counted once: as a success (a complete response with a 2xx status), as a failure
 * of one {@link FailureKind}, or, if it was in flight when the run was stopped, as abandoned.
 * {@link #requests()} counts successes and failures; abandoned requests are reported apart.
 *
 * @param options the options of the run
 * @param elapsed the time from the start of the run to the end of its last worker
 * @param stopped whether the run was ended by {@link LoadRun#stop()} rather than by itself
 * @param successes the requests answered completely with a 2xx status
 * @param failuresByKind the failed requests by kind, with every kind present
 * @param abandonedAtStop the requests in flight when the run was stopped, not counted as failures
 * @param connectionsOpened the connections established during the run
 * @param latency the latency of the successful requests
 * @param pids the distinct {@code pid=<digits>} values found in the bodies of successful responses,
 *     with how many responses carried each, in the order first seen
 * @param generations the distinct {@code generation=<digits>} values, likewise
 * @param sampleFailures the first failures, at most {@value #MAX_SAMPLE_FAILURES}, in the order seen
 */
public record LoadReport(
        LoadOptions options,
        Duration elapsed,
        boolean stopped,
        long successes,
        Map<FailureKind, Long> failuresByKind,
        long abandonedAtStop,
        long connectionsOpened,
        Latency latency,
        Map<Long, Long> pids,
        Map<Long, Long> generations,
        List<FailureSample> sampleFailures) {

    /** The most failures a report describes one by one. */
    public static final int MAX_SAMPLE_FAILURES = 10;

    /**
     * Checks the values and copies the collections; a kind missing from {@code failuresByKind}
     * counts zero.
     *
     * @throws NullPointerException if an argument is null
     */
    public LoadReport {
        if (options == null || elapsed == null || failuresByKind == null || latency == null || pids == null
                || generations == null || sampleFailures == null) {
            throw new NullPointerException("the report's options, durations and collections must not be null");
        }
        EnumMap<FailureKind, Long> kinds = new EnumMap<>(FailureKind.class);
        for (FailureKind kind : FailureKind.values()) {
            kinds.put(kind, failuresByKind.getOrDefault(kind, 0L));
        }
        failuresByKind = Collections.unmodifiableMap(kinds);
        pids = Collections.unmodifiableMap(new LinkedHashMap<>(pids));
        generations = Collections.unmodifiableMap(new LinkedHashMap<>(generations));
        sampleFailures = List.copyOf(sampleFailures);
    }

    /** The requests completed: successes plus failures, without those abandoned at stop. */
    public long requests() {
        return successes + failures();
    }

    /** The failed requests, of every kind. */
    public long failures() {
        return failuresByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The failed requests of one kind. */
    public long failures(FailureKind kind) {
        return failuresByKind.get(kind);
    }

    /** Whether no request failed: the measurement of Baton's guarantee. */
    public boolean hasNoFailures() {
        return failures() == 0;
    }

    /** The mean rate of completed requests per second over the run. */
    public double requestsPerSecond() {
        long nanos = elapsed.toNanos();
        return nanos <= 0 ? 0 : requests() * 1e9 / nanos;
    }

    /**
     * The report as a small plain-text table, one setting or count a line, ending with a line
     * separator; the sample failures follow it, if any.
     */
    public String toTable() {
        return ReportFormat.table(this);
    }

    /**
     * The report on one line of {@code key=value} pairs separated by spaces, for benchmarks and logs,
     * for example {@code requests=1000 ok=1000 failed=0 refused=0 ... p99_ms=4.812 ...}.
     */
    public String toSummaryLine() {
        return ReportFormat.summaryLine(this);
    }

    /** The same as {@link #toSummaryLine()}. */
    @Override
    public String toString() {
        return toSummaryLine();
    }
}
