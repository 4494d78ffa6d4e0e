package dev.baton.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadReportTest {

    private static LoadReport report(Map<FailureKind, Long> failures, List<FailureSample> samples) {
        LoadOptions options = LoadOptions.of(new InetSocketAddress("127.0.0.1", 8080));
        Map<Long, Long> pids = new LinkedHashMap<>();
        pids.put(4711L, 120_000L);
        pids.put(4712L, 150_000L);
        pids.put(4713L, 142_345L);
        Map<Long, Long> generations = new LinkedHashMap<>();
        generations.put(1L, 120_000L);
        generations.put(2L, 150_000L);
        generations.put(3L, 142_345L);
        Latency latency = new Latency(412_345, Duration.ofNanos(1_400_000), Duration.ofNanos(1_210_000),
                Duration.ofNanos(2_500_000), Duration.ofNanos(4_800_000), Duration.ofNanos(9_000_000),
                Duration.ofNanos(12_300_000));
        return new LoadReport(options, Duration.ofSeconds(20), false, 412_345, failures, 0, 32, latency, pids,
                generations, samples);
    }

    @Test
    void counts_requestsAreSuccessesPlusFailuresOfEveryKind() {
        LoadReport report = report(Map.of(FailureKind.EOF, 2L, FailureKind.RESET, 1L), List.of());

        assertThat(report.failures()).isEqualTo(3);
        assertThat(report.requests()).isEqualTo(412_348);
        assertThat(report.failuresByKind()).containsOnlyKeys(FailureKind.values()).containsEntry(FailureKind.REFUSED, 0L);
        assertThat(report.hasNoFailures()).isFalse();
        assertThat(report.requestsPerSecond()).isEqualTo(412_348 / 20.0);
    }

    @Test
    void table_cleanRun_listsEveryCountAndLatency() {
        String table = report(Map.of(), List.of()).toTable();

        assertThat(table.lines()).contains(
                "Load: GET / on 127.0.0.1:8080, keep-alive, 32 connections, 20.00 s",
                "  requests      412,345",
                "  failed        0",
                "    refused     0",
                "    non-2xx     0",
                "  throughput    20,617 req/s",
                "  latency       p50 1.21 ms   p99 4.80 ms   max 12.3 ms",
                "  pids          3: 4711 (120,000), 4712 (150,000), 4713 (142,345)");
        assertThat(table).doesNotContain("FAILURES", "first failures");
    }

    @Test
    void table_withFailures_flagsThemAndListsTheSamples() {
        FailureSample sample = new FailureSample(FailureKind.EOF, Duration.ofMillis(3204), 7, Duration.ofMillis(1250),
                57, 0, "PrematureEofException: server closed the connection before the status line");

        String table = report(Map.of(FailureKind.EOF, 1L), List.of(sample)).toTable();

        assertThat(table.lines()).contains(
                "  failed        1  <-- FAILURES",
                "    eof         1",
                "  first failures:",
                "    EOF at 3.204 s, worker 7: connection age 1.250 s, request 57 on it, 0 bytes received: "
                        + "PrematureEofException: server closed the connection before the status line");
    }

    @Test
    void summaryLine_isKeyValuePairsOnOneLine() {
        assertThat(report(Map.of(), List.of()).toSummaryLine()).isEqualTo(
                "requests=412345 ok=412345 failed=0 refused=0 reset=0 eof=0 timeout=0 non-2xx=0 protocol=0 other=0"
                        + " abandoned=0 rps=20617.3 p50_ms=1.210 p99_ms=4.800 max_ms=12.300 pids=3 generations=3"
                        + " connections_opened=32 mode=keep-alive workers=32 elapsed_s=20.000");
    }

    @Test
    void latencyFormat_threeSignificantDigits() {
        assertThat(ReportFormat.latency(Duration.ofNanos(412_345))).isEqualTo("0.412 ms");
        assertThat(ReportFormat.latency(Duration.ofNanos(48_249_000))).isEqualTo("48.2 ms");
        assertThat(ReportFormat.latency(Duration.ofMillis(412))).isEqualTo("412 ms");
        assertThat(ReportFormat.latency(Duration.ofMillis(1234))).isEqualTo("1.23 s");
    }
}
