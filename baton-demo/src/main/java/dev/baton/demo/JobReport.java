package dev.baton.demo;

/** What a load of the demo job measured, printed as a table and as one summary line. */
public interface JobReport {

    /** The failed requests or calls. */
    long failures();

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
