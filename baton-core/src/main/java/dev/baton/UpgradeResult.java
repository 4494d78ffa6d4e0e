package dev.baton;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an upgrade ended: a successor now serves, or it failed and this generation goes on serving, or
 * the upgrade was refused (another one was under way, or this generation was not serving).
 *
 * @param outcome what happened
 * @param servingPid the generation that was serving when the upgrade was asked for
 * @param successorPid the successor's pid, or 0 if none was started
 * @param successorGeneration the successor's generation number, or 0 if none was started
 * @param elapsed from the start of the upgrade until the successor was ready or had failed
 * @param message one line for a person: what happened and, on failure, why
 * @param lastOutput a failed successor's last lines of output; empty otherwise
 */
public record UpgradeResult(Outcome outcome, long servingPid, long successorPid, int successorGeneration, Duration elapsed,
        String message, List<String> lastOutput) {

    /** What an upgrade came to. */
    public enum Outcome {
        /** The successor is ready and serving; this generation drains. */
        SUCCEEDED,
        /** The successor failed and was stopped; this generation goes on serving. */
        FAILED,
        /** No successor was started. */
        REFUSED
    }

    public UpgradeResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(message, "message");
        lastOutput = List.copyOf(lastOutput);
    }

    static UpgradeResult refused(long servingPid, String message) {
        return new UpgradeResult(Outcome.REFUSED, servingPid, 0, 0, Duration.ZERO, message, List.of());
    }

    /** Whether a successor now serves. */
    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }
}
