package dev.baton.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.load.ConnectionMode;
import dev.baton.load.Latency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The report of {@code bench --impact}: the two loads side by side, and which upgrades landed within the load. */
class UpgradeImpactTest {

    private static final DemoJobOptions OPTIONS = new DemoJobOptions(List.of("demo-server"), 0, 32,
            Duration.ofSeconds(20), 3, ConnectionMode.KEEP_ALIVE, Path.of("/tmp"), DemoServerKind.JETTY)
            .withPath("/sleep?ms=20");

    private static LoadFigures figures(double throughput, long p99Millis, int generations) {
        Duration p99 = Duration.ofMillis(p99Millis);
        return new LoadFigures(1000, 0, throughput,
                Optional.of(new Latency(1000, p99, Duration.ofMillis(10), p99, p99, p99, p99.multipliedBy(2))), generations);
    }

    private static UpgradeTiming upgrade(int number, boolean succeeded, long readyMillis) {
        return new UpgradeTiming(number, 100, succeeded ? 200 + number : 0, succeeded, Duration.ofMillis(readyMillis),
                Optional.empty(), succeeded ? "ok" : "not ready within 60s");
    }

    @Test
    void report_countsOnlySucceededUpgradesReadyWithinTheLoad_andDividesWithByWithout() {
        UpgradeImpact.Report report = new UpgradeImpact.Report(OPTIONS, figures(1000, 20, 1), figures(800, 40, 3),
                List.of(upgrade(1, true, 900), upgrade(2, false, 60_000), upgrade(3, true, 1500)),
                List.of(Duration.ofSeconds(6), Duration.ofSeconds(70), Duration.ofSeconds(72)));

        assertThat(report.completedDuringLoad()).isEqualTo(1);
        assertThat(report.passed()).isFalse();
        assertThat(report.toSummaryLine()).contains("rps=1000/800 rps_ratio=0.80", "p99_ms=20.0/40.0 p99_ratio=2.00",
                "max_ms=40.0/80.0 max_ratio=2.00", "upgrades_ok=2/3", "in_load=1/3", "generations=3/4",
                "ready_ms=900,60000,1500");
        assertThat(report.toTable()).contains("0.80x", "3 of 4", "ready within the 20 s load: 1 of 3",
                "900 ms, FAILED, 1500 ms");
    }

    @Test
    void report_ofALoadWithoutLatency_saysSoInsteadOfANumber() {
        LoadFigures grpc = new LoadFigures(500, 0, 250, Optional.empty(), 1);
        UpgradeImpact.Report report = new UpgradeImpact.Report(OPTIONS, grpc, grpc, List.of(), List.of());

        assertThat(report.passed()).isTrue();
        assertThat(report.toTable()).containsPattern("p99 +- +- +-");
    }
}
