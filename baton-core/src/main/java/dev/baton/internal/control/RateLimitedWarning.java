package dev.baton.internal.control;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A warning logged at most once per interval, with a count of those held back since: anyone with the
 * service's uid can send malformed control requests or hold descriptors, and must not be able to flood
 * the log with them. Thread-safe.
 */
final class RateLimitedWarning {

    /** The interval the control server uses. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final Level level;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private long lastNanos;
    private boolean loggedOnce;
    private int heldBack;

    RateLimitedWarning(Logger log, Duration interval, LongSupplier nanoTime) {
        this(log, Level.WARNING, interval, nanoTime);
    }

    /** Logs at {@code level} instead: for what is worth a line but is nobody's fault. */
    RateLimitedWarning(Logger log, Level level, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.level = level;
        this.interval = interval;
        this.nanoTime = nanoTime;
    }

    /** Logs {@code message} unless one was logged less than the interval ago; then only counts it. */
    synchronized void warn(String message) {
        long now = nanoTime.getAsLong();
        if (loggedOnce && now - lastNanos < interval.toNanos()) {
            heldBack++;
            return;
        }
        String suffix = heldBack == 0 ? "" : " (" + heldBack + " more like it in the last "
                + Duration.ofNanos(now - lastNanos).toSeconds() + " s not logged)";
        log.log(level, message + suffix);
        lastNanos = now;
        loggedOnce = true;
        heldBack = 0;
    }
}
