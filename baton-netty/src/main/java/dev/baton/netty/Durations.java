package dev.baton.netty;

import java.time.Duration;
import java.util.Objects;

/** The check every drain setting goes through: a positive duration, in nanoseconds. */
final class Durations {

    private Durations() {}

    /**
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if it is zero or negative, naming the setting
     */
    static long positiveNanos(Duration value, String setting) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
        return value.toNanos();
    }
}
