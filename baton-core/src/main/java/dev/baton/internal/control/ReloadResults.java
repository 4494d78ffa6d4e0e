package dev.baton.internal.control;

import dev.baton.UpgradeResult;
import dev.baton.internal.protocol.Message.ReloadResult;
import java.time.Duration;

/** Turns an upgrade's result into its control message and back, for both modes and the client. */
public final class ReloadResults {

    private ReloadResults() {}

    public static ReloadResult toMessage(UpgradeResult result) {
        return new ReloadResult(result.succeeded(), result.servingPid(), result.successorPid(),
                result.successorGeneration(), result.elapsed().toMillis(), result.message(), result.lastOutput());
    }

    /**
     * A reload that began no generation (no pid, generation 0) was refused; one that began one and did not
     * succeed failed, also if its process could not be started at all (no pid, its generation named).
     */
    public static UpgradeResult fromMessage(ReloadResult message) {
        UpgradeResult.Outcome outcome = message.succeeded() ? UpgradeResult.Outcome.SUCCEEDED
                : message.pid() == 0 && message.generation() == 0 ? UpgradeResult.Outcome.REFUSED
                : UpgradeResult.Outcome.FAILED;
        return new UpgradeResult(outcome, message.servingPid(), message.pid(), message.generation(),
                Duration.ofMillis(message.readyMillis()), message.message(), message.output());
    }
}
