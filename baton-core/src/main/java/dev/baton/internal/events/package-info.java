/**
 * Baton's Java Flight Recorder events ({@code dev.baton.*}, category "Baton"): what an upgrade, a drain and
 * the listeners did, with durations, for {@code jfr print --events 'dev.baton.*'} and JDK Mission Control.
 *
 * <p>A package of its own, not exported: the events are JFR's contract (names and fields), not Java API;
 * JFR event classes need public fields, which would sit badly among {@code dev.baton}'s package-private
 * implementation. {@link dev.baton.internal.events.BatonEvents} is the only entry point the lifecycle calls,
 * one line per place where something happens. A disabled event costs a branch.
 */
package dev.baton.internal.events;
