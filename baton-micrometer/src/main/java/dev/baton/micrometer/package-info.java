/**
 * Baton's meters for Micrometer: {@link dev.baton.micrometer.BatonMetrics}, a {@code MeterBinder} over a
 * {@link dev.baton.Baton}.
 */
package dev.baton.micrometer;
