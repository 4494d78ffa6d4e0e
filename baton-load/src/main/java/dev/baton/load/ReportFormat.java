package dev.baton.load;

import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link LoadReport} as a plain-text table or as one summary line. */
final class ReportFormat {

    private static final String ROW = "  %-13s %s%n";

    private ReportFormat() {
    }

    static String table(LoadReport r) {
        LoadOptions o = r.options();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Load: GET %s on %s, %s, %d connections, %.2f s%s%n", o.path(),
                address(o), o.mode().label(), o.connections(), seconds(r.elapsed()),
                r.stopped() ? " (stopped)" : ""));
        row(b, "requests", count(r.requests()));
        row(b, "succeeded", count(r.successes()));
        row(b, "failed", count(r.failures()) + (r.hasNoFailures() ? "" : "  <-- FAILURES"));
        for (FailureKind kind : FailureKind.values()) {
            row(b, "  " + kind.label(), count(r.failures(kind)));
        }
        row(b, "abandoned", count(r.abandonedAtStop()) + " (in flight at stop, not failures)");
        row(b, "throughput", String.format(Locale.ROOT, "%,.0f req/s", r.requestsPerSecond()));
        Latency l = r.latency();
        row(b, "latency", l.headline());
        row(b, "connections", count(r.connectionsOpened()) + " opened");
        row(b, "pids", values(r.pids()));
        row(b, "generations", values(r.generations()));
        if (!r.sampleFailures().isEmpty()) {
            b.append(String.format("  first failures:%n"));
            for (FailureSample sample : r.sampleFailures()) {
                b.append("    ").append(sample).append(System.lineSeparator());
            }
        }
        return b.toString();
    }

    static String summaryLine(LoadReport r) {
        StringBuilder b = new StringBuilder();
        b.append("requests=").append(r.requests())
                .append(" ok=").append(r.successes())
                .append(" failed=").append(r.failures());
        for (FailureKind kind : FailureKind.values()) {
            b.append(' ').append(kind.label()).append('=').append(r.failures(kind));
        }
        Latency l = r.latency();
        b.append(" abandoned=").append(r.abandonedAtStop())
                .append(String.format(Locale.ROOT, " rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f",
                        r.requestsPerSecond(), millis(l.p50()), millis(l.p99()), millis(l.max())))
                .append(" pids=").append(r.pids().size())
                .append(" generations=").append(r.generations().size())
                .append(" connections_opened=").append(r.connectionsOpened())
                .append(" mode=").append(r.options().mode().label())
                .append(" workers=").append(r.options().connections())
                .append(String.format(Locale.ROOT, " elapsed_s=%.3f", seconds(r.elapsed())));
        if (r.stopped()) {
            b.append(" stopped=true");
        }
        return b.toString();
    }

    /** A latency with three significant digits, in ms below a second: 0.412 ms, 4.81 ms, 48.2 ms, 1.23 s. */
    static String latency(Duration d) {
        double ms = millis(d);
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.3f ms", ms);
        } else if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        } else if (ms < 100) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        } else if (ms < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, ROW, label, value));
    }

    private static String values(Map<Long, Long> counts) {
        if (counts.isEmpty()) {
            return "none seen";
        }
        StringBuilder b = new StringBuilder().append(counts.size()).append(": ");
        Iterator<Map.Entry<Long, Long>> it = counts.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            b.append(e.getKey()).append(" (").append(count(e.getValue())).append(')');
            if (it.hasNext()) {
                b.append(", ");
            }
        }
        return b.toString();
    }

    private static String address(LoadOptions o) {
        String host = o.target().getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + o.target().getPort();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
