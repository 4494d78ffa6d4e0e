/**
 * Baton: zero-downtime restarts and binary upgrades for JVM network servers on Linux.
 *
 * <p>While an upgrade runs, under load, Baton guarantees:
 * <ol>
 *   <li><b>No connection is refused.</b> The listening socket is never closed: it is one kernel socket,
 *       shared by the old and the new generation of the process.</li>
 *   <li><b>No accepted connection is reset and no in-flight request fails.</b> The old generation stops
 *       accepting only after the new one says it is {@linkplain dev.baton.Baton#ready() ready}; then it
 *       finishes what it has in flight, closes idle keep-alive connections cleanly, and exits. A drain
 *       timeout bounds this; past it, what remains is closed ("hammer"), and that is logged with a count.</li>
 *   <li><b>A broken new generation never takes the service down.</b> If it exits, crashes, or is not
 *       ready within the ready timeout, it is stopped and the old generation goes on serving; the
 *       failure is reported with the new generation's exit status and the last lines it printed.</li>
 * </ol>
 *
 * <p>The entry point is {@link dev.baton.Baton}; a server adapter implements
 * {@link dev.baton.ManagedServer}; {@link dev.baton.BatonControl} talks to a running service. Linux
 * system calls go through {@code java.lang.foreign} in {@code dev.baton.internal.os}, which, like every
 * {@code internal} package, is not part of the API.
 */
package dev.baton;
