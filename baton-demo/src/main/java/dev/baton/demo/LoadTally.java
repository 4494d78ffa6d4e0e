package dev.baton.demo;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The counts of a closed-loop load of the JDK's clients ({@link Http2JobLoad}, {@link WebSocketJobLoad}):
 * answers by pid and generation (read from the {@code pid=P generation=G} of each answer), failures by
 * kind with the first few described, and reconnects. Thread-safe.
 */
final class LoadTally {

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");
    private static final Pattern GENERATION = Pattern.compile("generation=(\\d+)");
    private static final int SAMPLES = 5;

    /**
     * What a load measured.
     *
     * @param title what ran, as the table's first line says
     * @param unit what one exchange is ("requests", "echoes")
     * @param answered the exchanges answered
     * @param failuresByKind the failed exchanges by kind
     * @param samples the first failures, described
     * @param reconnects how often a client reconnected because the server went away, failing nothing
     * @param pids how many answers each pid gave
     * @param generations how many answers each generation gave
     * @param elapsed how long the load ran
     */
    record Report(String title, String unit, long answered, Map<String, Long> failuresByKind, List<String> samples,
            long reconnects, Map<Long, Long> pids, Map<Long, Long> generations, Duration elapsed) implements JobReport {

        @Override
        public long failures() {
            return failuresByKind.values().stream().mapToLong(Long::longValue).sum();
        }

        private static final int READABLE = 12;

        @Override
        public String toTable() {
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                    "Load: %s, %.2f s%n  %-13s %,d%n  succeeded     %,d%n  failed        %,d%n", title,
                    elapsed.toNanos() / 1e9, unit, answered + failures(), answered, failures()));
            failuresByKind.forEach((kind, count) -> table.append(String.format(Locale.ROOT, "    %-11s %,d%n", kind, count)));
            samples.forEach(sample -> table.append("    e.g. ").append(sample).append('\n'));
            table.append(String.format(Locale.ROOT, "  reconnects    %,d (the server went away; nothing lost)%n", reconnects));
            table.append(String.format(Locale.ROOT, "  throughput    %,.0f %s/s%n", answered / seconds(), unit));
            table.append("  pids          ").append(answersBy(pids)).append('\n');
            table.append("  generations   ").append(answersBy(generations)).append('\n');
            return table.toString();
        }

        /**
         * How many answered and how many answers each gave ({@code 3: {1=10, 2=12, 3=9}}); past a dozen, a
         * soak's thousand, the first and last three and the range, which a person can still read.
         */
        static String answersBy(Map<Long, Long> answers) {
            if (answers.size() <= READABLE) {
                return answers.size() + ": " + answers;
            }
            List<Map.Entry<Long, Long>> entries = List.copyOf(answers.entrySet());
            LongSummaryStatistics counts = answers.values().stream().mapToLong(Long::longValue).summaryStatistics();
            return String.format(Locale.ROOT, "%d: {%s, ..., %s}, %,d to %,d answers each", answers.size(),
                    entriesText(entries.subList(0, 3)), entriesText(entries.subList(entries.size() - 3, entries.size())),
                    counts.getMin(), counts.getMax());
        }

        private static String entriesText(List<Map.Entry<Long, Long>> entries) {
            return String.join(", ", entries.stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList());
        }

        @Override
        public String toSummaryLine() {
            return String.format(Locale.ROOT, "%s=%d failed=%d reconnects=%d per_s=%.0f pids=%d", unit,
                    answered + failures(), failures(), reconnects, answered / seconds(), pids.size());
        }

        @Override
        public LoadFigures figures() {
            return new LoadFigures(answered + failures(), failures(), answered / seconds(), Optional.empty(),
                    generations.size());
        }

        private double seconds() {
            return Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    private final long start = System.nanoTime();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final Map<String, Long> failures = new ConcurrentHashMap<>();
    private final List<String> samples = new CopyOnWriteArrayList<>();
    private final Map<Long, Long> pids = new ConcurrentHashMap<>();
    private final Map<Long, Long> generations = new ConcurrentHashMap<>();

    /** Counts an answer, by the pid and generation it names. */
    void answered(String answer) {
        answered.incrementAndGet();
        number(PID, answer).ifPresent(pid -> pids.merge(pid, 1L, Long::sum));
        number(GENERATION, answer).ifPresent(generation -> generations.merge(generation, 1L, Long::sum));
    }

    void failed(String kind, String description) {
        failures.merge(kind, 1L, Long::sum);
        if (samples.size() < SAMPLES) {
            samples.add(kind + ": " + description);
        }
    }

    void reconnected() {
        reconnects.incrementAndGet();
    }

    int pidsSoFar() {
        return pids.size();
    }

    String progressLine(String unit) {
        double seconds = (System.nanoTime() - start) / 1e9;
        long failed = failures.values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%5.1f s  %s %,d  failed %,d  reconnects %,d  %,.0f/s  pids %d", seconds,
                unit, answered.get() + failed, failed, reconnects.get(), answered.get() / Math.max(1e-9, seconds),
                pids.size());
    }

    Report report(String title, String unit) {
        return new Report(title, unit, answered.get(), new TreeMap<>(failures), List.copyOf(samples),
                reconnects.get(), new TreeMap<>(pids), new TreeMap<>(generations),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static Optional<Long> number(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
    }
}
