package dev.baton.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    private static final long MS = 1_000_000;

    @Test
    void percentiles_oneToHundredMillisInAnyOrder_withinTwoTenthsOfAPercent() {
        List<Long> values = new ArrayList<>();
        for (long ms = 1; ms <= 100; ms++) {
            values.add(ms * MS);
        }
        Collections.shuffle(values, new Random(42));
        LatencyHistogram histogram = new LatencyHistogram();
        values.forEach(histogram::record);

        assertThat(histogram.valueAtPercentile(50)).isBetween(50 * MS, 50 * MS + 50 * MS / 512);
        assertThat(histogram.valueAtPercentile(90)).isBetween(90 * MS, 90 * MS + 90 * MS / 512);
        assertThat(histogram.valueAtPercentile(99)).isBetween(99 * MS, 99 * MS + 99 * MS / 512);
        assertThat(histogram.valueAtPercentile(100)).isEqualTo(100 * MS);
        assertThat(histogram.max()).isEqualTo(100 * MS);
        assertThat(histogram.min()).isEqualTo(MS);
        assertThat(histogram.mean()).isEqualTo(50 * MS + MS / 2);
        assertThat(histogram.count()).isEqualTo(100);
    }

    @Test
    void percentiles_valuesBelow1024_exact() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long v = 1; v <= 1000; v++) {
            histogram.record(v);
        }

        assertThat(histogram.valueAtPercentile(50)).isEqualTo(500);
        assertThat(histogram.valueAtPercentile(99)).isEqualTo(990);
        assertThat(histogram.valueAtPercentile(99.9)).isEqualTo(999);
        assertThat(histogram.valueAtPercentile(0.01)).isEqualTo(1);
    }

    @Test
    void percentile_neverAboveTheExactMax() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(1_000_001);

        assertThat(histogram.valueAtPercentile(50)).isEqualTo(1_000_001);
    }

    @Test
    void buckets_containTheirValuesWithinPrecisionAndIndexIsMonotonic() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(LatencyHistogram.HIGHEST_TRACKABLE + 1) >>> random.nextInt(40);
            long high = LatencyHistogram.highestEquivalent(LatencyHistogram.index(v));
            assertThat(high).isGreaterThanOrEqualTo(v).isLessThanOrEqualTo(v + v / 512);
            assertThat(LatencyHistogram.index(v + 1)).isGreaterThanOrEqualTo(LatencyHistogram.index(v));
        }
        assertThat(LatencyHistogram.index(1023)).isEqualTo(1023);
        assertThat(LatencyHistogram.index(1024)).isEqualTo(1024);
        assertThat(LatencyHistogram.highestEquivalent(1024)).isEqualTo(1025);
    }

    @Test
    void add_mergesAsIfRecordedInOne() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        LatencyHistogram all = new LatencyHistogram();
        for (long v = 1; v <= 1000; v++) {
            (v % 3 == 0 ? a : b).record(v * 1000);
            all.record(v * 1000);
        }

        a.add(b);

        assertThat(a.summary()).isEqualTo(all.summary());
        assertThat(a.count()).isEqualTo(1000);
    }

    @Test
    void empty_summaryIsAllZero() {
        Latency latency = new LatencyHistogram().summary();

        assertThat(latency.count()).isZero();
        assertThat(List.of(latency.mean(), latency.p50(), latency.p99(), latency.max())).containsOnly(Duration.ZERO);
    }

    @Test
    void valueBeyondHighestTrackable_countedInLastBucketWithExactMax() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(Long.MAX_VALUE / 2);

        assertThat(histogram.max()).isEqualTo(Long.MAX_VALUE / 2);
        assertThat(histogram.valueAtPercentile(50)).isEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void invalidInput_rejectedWithTheValue() {
        LatencyHistogram histogram = new LatencyHistogram();

        assertThatThrownBy(() -> histogram.record(-1)).hasMessage("latency must not be negative, was -1 ns");
        assertThatThrownBy(() -> histogram.valueAtPercentile(0)).hasMessage("percentile must be in (0, 100], was 0.0");
    }
}
