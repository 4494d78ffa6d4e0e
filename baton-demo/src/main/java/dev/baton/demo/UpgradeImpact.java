package dev.baton.demo;

import dev.baton.load.Latency;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What upgrades cost the clients of a server: the demo job's load twice on the same server (started
 * once), first without upgrades, then with the upgrades asked for, and the two side by side with their
 * ratios ({@code baton bench --impact}).
 */
public final class UpgradeImpact {

    /** A latency figure, by its name in the summary line. */
    private record LatencyFigure(String name, Function<LoadFigures, Double> millis) {}

    private static final List<LatencyFigure> LATENCIES = List.of(new LatencyFigure("p50", latency(Latency::p50)),
            new LatencyFigure("p99", latency(Latency::p99)), new LatencyFigure("max", latency(Latency::max)));

    private UpgradeImpact() {}

    /**
     * The two loads and the upgrades of the second.
     *
     * @param options how the job ran; {@code upgrades} is the second load's
     * @param without the load without upgrades
     * @param with the load with upgrades
     * @param upgrades each upgrade of the second load, in order
     * @param readyAt when each upgrade's successor was ready, from the start of the second load
     */
    public record Report(DemoJobOptions options, LoadFigures without, LoadFigures with, List<UpgradeTiming> upgrades,
            List<Duration> readyAt) {

        public Report {
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(without, "without");
            Objects.requireNonNull(with, "with");
            upgrades = List.copyOf(upgrades);
            readyAt = List.copyOf(readyAt);
        }

        /** The upgrades whose successor was ready within the load's duration (the job runs on past it for late ones). */
        public long completedDuringLoad() {
            long count = 0;
            for (int i = 0; i < upgrades.size(); i++) {
                if (upgrades.get(i).succeeded() && readyAt.get(i).compareTo(options.duration()) <= 0) {
                    count++;
                }
            }
            return count;
        }

        /** Whether no request failed in either load and every upgrade succeeded. */
        public boolean passed() {
            return without.failures() == 0 && with.failures() == 0 && upgrades.stream().allMatch(UpgradeTiming::succeeded);
        }

        /** The two loads side by side, one figure a line, then the upgrades; ends with a line separator. */
        public String toTable() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "Upgrade impact: %s, %s, %d connections, GET %s, %d s, %d upgrades%n",
                    options.server().label(), options.mode().label(), options.connections(), options.path(),
                    options.duration().toSeconds(), options.upgrades()));
            b.append(String.format(Locale.ROOT, "  %-13s %-18s %-18s %s%n", "", "without upgrades",
                    "with " + options.upgrades(), "ratio"));
            row(b, "throughput", f -> f.throughput(), v -> String.format(Locale.ROOT, "%,.0f/s", v));
            LATENCIES.forEach(l -> row(b, l.name(), l.millis(), UpgradeImpact::millis));
            b.append(String.format(Locale.ROOT, "  %-13s %-18d %-18d%n", "failed", without.failures(), with.failures()));
            b.append(String.format(Locale.ROOT, "  %-13s %-18d %-18s%n", "generations", without.generations(),
                    with.generations() + " of " + (options.upgrades() + 1)));
            b.append(String.format(Locale.ROOT, "  upgrades ready within the %d s load: %d of %d%n",
                    options.duration().toSeconds(), completedDuringLoad(), upgrades.size()));
            b.append("  time to ready: ").append(joined(u -> u.untilReady().toMillis() + " ms")).append('\n');
            b.append("  ready at:      ").append(readyAt.stream()
                    .map(d -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)).collect(Collectors.joining(", ")))
                    .append('\n');
            return b.toString();
        }

        /** The figures on one line of {@code key=value} pairs, {@code without/with} where there are two. */
        public String toSummaryLine() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "impact server=%s mode=%s connections=%d path=%s duration_s=%d", options.server().label(),
                    options.mode().label(), options.connections(), options.path(), options.duration().toSeconds()));
            b.append(String.format(Locale.ROOT, " rps=%.0f/%.0f rps_ratio=%.2f", without.throughput(), with.throughput(),
                    ratio(LoadFigures::throughput)));
            for (LatencyFigure l : LATENCIES) {
                b.append(String.format(Locale.ROOT, " %s_ms=%.1f/%.1f %s_ratio=%.2f", l.name(), l.millis().apply(without),
                        l.millis().apply(with), l.name(), ratio(l.millis())));
            }
            b.append(" failed=").append(without.failures()).append('/').append(with.failures())
                    .append(" upgrades_ok=").append(upgrades.stream().filter(UpgradeTiming::succeeded).count())
                    .append('/').append(upgrades.size())
                    .append(" in_load=").append(completedDuringLoad()).append('/').append(upgrades.size())
                    .append(" generations=").append(with.generations()).append('/').append(options.upgrades() + 1)
                    .append(" ready_ms=").append(upgrades.stream().map(u -> Long.toString(u.untilReady().toMillis()))
                            .collect(Collectors.joining(",")));
            return b.toString();
        }

        private void row(StringBuilder b, String name, Function<LoadFigures, Double> figure,
                Function<Double, String> format) {
            double before = figure.apply(without);
            double after = figure.apply(with);
            b.append(String.format(Locale.ROOT, "  %-13s %-18s %-18s %s%n", name, format.apply(before), format.apply(after),
                    Double.isNaN(before) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio(figure))));
        }

        private double ratio(Function<LoadFigures, Double> figure) {
            return figure.apply(with) / figure.apply(without);
        }

        private String joined(Function<UpgradeTiming, String> each) {
            return upgrades.stream().map(u -> u.succeeded() ? each.apply(u) : "FAILED").collect(Collectors.joining(", "));
        }
    }

    /**
     * Runs the two loads and returns their report; the job's own progress and tables go to {@code out}.
     * A first load of {@code settle}, not reported, warms the server and the load generator alike (the
     * load generator runs in this JVM, cold at first), so that the first measured load is not the coldest.
     *
     * @throws IOException if the demo server cannot be started or controlled
     */
    public static Report measure(DemoJobOptions options, Duration settle, PrintStream out)
            throws IOException, InterruptedException {
        List<DemoJob.Load> loads = new ArrayList<>();
        if (!settle.isZero()) {
            loads.add(new DemoJob.Load(settle, 0));
        }
        loads.add(new DemoJob.Load(options.duration(), 0));
        loads.add(new DemoJob.Load(options.duration(), options.upgrades()));
        List<DemoJob.Outcome> outcomes = DemoJob.runEach(options, loads, out);
        DemoJob.Outcome without = outcomes.get(outcomes.size() - 2);
        DemoJob.Outcome with = outcomes.getLast();
        return new Report(options, without.load().figures(), with.load().figures(), with.upgrades(), with.readyAt());
    }

    /** A latency of the figures in milliseconds, NaN where the load measures none. */
    private static Function<LoadFigures, Double> latency(Function<Latency, Duration> which) {
        return f -> f.latency().map(l -> which.apply(l).toNanos() / 1e6).orElse(Double.NaN);
    }

    private static String millis(Double value) {
        return value.isNaN() ? "-" : String.format(Locale.ROOT, "%.1f ms", value);
    }
}
