package dev.baton.demo;

import java.util.Map;

/** What a load of the demo job measured, printed as a table and as one summary line. */
public interface JobReport {

    /** The failed requests or calls. */
    long failures();

    /** How many answers each pid gave, in the order first seen or in pid order. */
    Map<Long, Long> pids();

    /** Whether nothing failed. */
    default boolean hasNoFailures() {
        return failures() == 0;
    }

    /** The figures as a table, one per line. */
    String toTable();

    /** The figures as one line of {@code key=value} pairs. */
    String toSummaryLine();

    /** The headline figures, to compare loads. */
    LoadFigures figures();
}
