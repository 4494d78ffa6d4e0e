package dev.baton.demo;

import java.time.Duration;
import java.util.Optional;

/**
 * One upgrade of a demo run, as measured from outside.
 *
 * @param number 1 for the first upgrade of the run
 * @param oldPid the generation that was serving
 * @param newPid the successor, or 0 if none was started
 * @param succeeded whether the successor took over
 * @param untilReady from the reload request until the successor was ready (or failed)
 * @param untilDrained from the successor's readiness until the old generation's process had exited,
 *     if it did before the run ended
 * @param message what the service said of the upgrade
 */
public record UpgradeTiming(int number, long oldPid, long newPid, boolean succeeded, Duration untilReady,
        Optional<Duration> untilDrained, String message) {}
