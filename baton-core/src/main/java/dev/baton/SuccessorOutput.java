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

    SuccessorOutput(InputStream stdout, InputStream stderr) {
        this.stdoutRelay = Thread.ofPlatform().daemon().name("baton-successor-stdout").start(
                new OutputRelay(stdout, new FileOutputStream(FileDescriptor.out), lastLines));
        this.stderrRelay = Thread.ofPlatform().daemon().name("baton-successor-stderr").start(
                new OutputRelay(stderr, new FileOutputStream(FileDescriptor.err), lastLines));
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
