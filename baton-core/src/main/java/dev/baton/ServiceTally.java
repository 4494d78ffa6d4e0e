package dev.baton;

import java.time.Duration;
import java.util.List;

/**
 * The service's figures as this generation keeps them ({@link ServiceStatus.Figures}): taken over from the
 * predecessor at the handover, moved by this generation's upgrades and by the drains older generations
 * report. Thread-safe: every method is synchronized.
 */
final class ServiceTally implements LifecycleListener {

    private ServiceStatus.Figures figures = ServiceStatus.Figures.NONE;

    /** Takes over the predecessor's figures (which count the upgrade that started this generation). */
    synchronized void takeOver(ServiceStatus.Figures predecessors) {
        figures = predecessors.withGenerationsDraining(0);
    }

    @Override
    public synchronized void upgradeEnded(UpgradeResult result) {
        figures = figures.counting(result);
    }

    @Override
    public synchronized void upgradeRefused(UpgradeResult result) {
        figures = figures.counting(result);
    }

    @Override
    public synchronized void drained(int generation, Duration took, int hammered) {
        figures = figures.countingDrain(took, hammered);
    }

    /** The figures now, with {@code draining} older generations draining. */
    synchronized ServiceStatus.Figures figures(int draining) {
        return figures.withGenerationsDraining(draining);
    }

    /** What the successor takes over when the upgrade that started it succeeds after {@code elapsed}. */
    synchronized ServiceStatus.Figures afterSuccess(Duration elapsed) {
        return figures.counting(new UpgradeResult(UpgradeResult.Outcome.SUCCEEDED, 0, 0, 0, elapsed, "", List.of()));
    }
}
