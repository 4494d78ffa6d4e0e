package dev.baton.load;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * A log-linear histogram of latencies in nanoseconds, in the manner of HdrHistogram: exact below
 * 1024 ns, and above that within 1/512 (about 0.2%) of the recorded value.
 *
 * <p>Values from 0 to {@link #HIGHEST_TRACKABLE} nanoseconds (about 18 minutes) fall in their own
 * bucket; larger ones are counted in the last bucket, while {@link #max()} stays exact. A bucket
 * holds the values {@code [sub << e, ((sub + 1) << e) - 1]} for an exponent {@code e} and a
 * sub-bucket {@code sub} in {@code [512, 1023]}, so {@code index = e * 512 + sub}; below 1024 the
 * index is the value itself.
 *
 * <p>Not thread-safe: each worker records into its own, and the run merges them at the end. Public for the
 * loads that are not this module's (the demo's gRPC load) to report the same figures.
 */
public final class LatencyHistogram {

    private static final int SUB_BUCKET_BITS = 10;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int HALF = SUB_BUCKETS / 2;

    /** The largest value with a bucket of its own, in nanoseconds. */
    static final long HIGHEST_TRACKABLE = (1L << 40) - 1;

    private final long[] counts = new long[index(HIGHEST_TRACKABLE) + 1];
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;

    /**
     * Counts one value.
     *
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    public void record(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("latency must not be negative, was " + nanos + " ns");
        }
        counts[index(Math.min(nanos, HIGHEST_TRACKABLE))]++;
        count++;
        sum += nanos;
        min = Math.min(min, nanos);
        max = Math.max(max, nanos);
    }

    /** Adds every value counted in {@code other} to this histogram. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    long count() {
        return count;
    }

    /** The largest value recorded, exactly; 0 if none. */
    long max() {
        return max;
    }

    /** The smallest value recorded, exactly; 0 if none. */
    long min() {
        return count == 0 ? 0 : min;
    }

    /** The mean of the values recorded, rounded down; 0 if none. */
    long mean() {
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The value at {@code percentile} by nearest rank: the smallest recorded value (as its bucket's
     * highest equivalent, never above {@link #max()}) at or below which {@code percentile} percent of
     * the values fall; 0 if nothing was recorded.
     *
     * @throws IllegalArgumentException if {@code percentile} is not in (0, 100]
     */
    long valueAtPercentile(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + percentile);
        }
        if (count == 0) {
            return 0;
        }
        // In decimal, so that 99.9% of 1000 values is rank 999, not 1000 by a binary rounding error.
        long rank = Math.max(1, BigDecimal.valueOf(percentile).multiply(BigDecimal.valueOf(count))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING).longValueExact());
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.max(min, Math.min(max, highestEquivalent(i)));
            }
        }
        return max;
    }

    /** A summary of this histogram as durations. */
    public Latency summary() {
        return new Latency(count, nanos(mean()), nanos(valueAtPercentile(50)), nanos(valueAtPercentile(90)),
                nanos(valueAtPercentile(99)), nanos(valueAtPercentile(99.9)), nanos(max()));
    }

    static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value) - (SUB_BUCKET_BITS - 1);
        return exponent * HALF + (int) (value >>> exponent);
    }

    static long highestEquivalent(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = index / HALF - 1;
        long sub = index - (long) exponent * HALF;
        return ((sub + 1) << exponent) - 1;
    }

    private static Duration nanos(long value) {
        return Duration.ofNanos(value);
    }
}
