package dev.baton;

import dev.baton.internal.service.LastLines;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * A starting successor's standard output and error, each relayed by a daemon thread onto this process's own
 * until the successor moves them (it is ready) or exits; their last lines are kept for a failure's report.
 */
final class SuccessorOutput {

    private static final int REPORTED_LINES = 20;

    private final LastLines lastLines = new LastLines(REPORTED_LINES);
    private final Thread stdoutRelay;
    private final Thread stderrRelay;

    /**
     * Starts both relays; each closes its stream once the successor closed its end. If a thread cannot be
     * started (this process is at its limit of threads), the streams no relay took are closed here.
     */
    SuccessorOutput(InputStream stdout, InputStream stderr) {
        Thread started;
        try {
            started = Thread.ofPlatform().daemon().name("baton-successor-stdout").start(
                    new OutputRelay(stdout, new FileOutputStream(FileDescriptor.out), lastLines));
        } catch (OutOfMemoryError | RuntimeException e) {
            closeQuietly(stdout);
            closeQuietly(stderr);
            throw e;
        }
        this.stdoutRelay = started;
        try {
            started = Thread.ofPlatform().daemon().name("baton-successor-stderr").start(
                    new OutputRelay(stderr, new FileOutputStream(FileDescriptor.err), lastLines));
        } catch (OutOfMemoryError | RuntimeException e) {
            closeQuietly(stderr);
            throw e;
        }
        this.stderrRelay = started;
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (java.io.IOException e) {
            // a pipe's read end: nothing to flush, nothing lost
        }
    }

    /** The last lines, once the relays have read what the successor wrote before it exited (2 s at most each). */
    List<String> lastLines() {
        try {
            stdoutRelay.join(Duration.ofSeconds(2));
            stderrRelay.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lastLines.snapshot();
    }
}
