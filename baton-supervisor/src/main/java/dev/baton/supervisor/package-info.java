/**
 * Baton's supervised mode: a process with a stable pid that owns the listening sockets and runs
 * workers of any language on them ({@code baton run}).
 *
 * <p>The API is {@link dev.baton.supervisor.Supervisor}, {@link dev.baton.supervisor.SupervisorOptions},
 * {@link dev.baton.supervisor.Readiness} and the client {@link dev.baton.supervisor.SupervisorUpgrade};
 * everything else is package-private, one concern per class:
 *
 * <pre>
 *  Supervisor ── wires the parts; runs start, reload and stop
 *   ├─ SupervisorMachine   the state and every transition      (its monitor: the one lock)
 *   │   ├─ RestartBackoff  100 ms .. 10 s, reset after 30 s     (guarded by the machine)
 *   │   └─ SupervisorRefusals  which shared refusal each state gives
 *   ├─ WorkerLauncher      start a Worker (from the AOT cache if set), wait for readiness (caller's thread)
 *   │   └─ ReadinessWatch  notify / tcp probe / delay
 *   ├─ CrashRestarts       a restart once the backoff is over  (baton-restart thread)
 *   ├─ Retirement          SIGTERM, drain timeout, SIGKILL, the draining cap
 *   ├─ ShutdownDelay       a final stop's delay before SIGTERM (cut short by a second stop)
 *   ├─ (core's DescriptorStore: the listeners kept in systemd's fd store, where the unit has one)
 *   ├─ SelfUpgrade         old image: carry state, execve      (baton-upgrade-supervisor thread)
 *   ├─ TakeOver            new image: read SupervisorState, re-attach workers
 *   ├─ SupervisorControl   the ControlledService: control socket, signals (control server's threads)
 *   ├─ SupervisorThreads   the timer and every background thread (a Scheduler)
 *   └─ Reaper              reaps workers through their pidfds  (baton-reaper thread)
 *  Worker ── one process: its pidfd, WorkerOutput relays, NotifySocket; its monitor guards its state
 * </pre>
 *
 * <p>A final stop and a reload's retirement both end a worker with SIGTERM; a worker of any language cannot
 * tell them apart by it. A Baton worker needs to (only a final stop turns its readiness "not ready"), so
 * it asks for a notice: it sends {@code X_BATON_STOP_NOTICE=SIGWINCH} on its notify socket before
 * {@code READY=1}, and on a final stop the supervisor sends it SIGWINCH at once ({@code Worker.noticeFinalStop}),
 * keeps every worker serving for the shutdown delay, then sends SIGTERM. A worker that did not ask gets no
 * SIGWINCH (its default action is to ignore it, but some servers give it a meaning). A second stop during the
 * delay kills at once. The notice request is not carried across the supervisor's own upgrade in place.
 *
 * <p>Lock order: {@code SupervisorMachine}'s monitor, then a {@code Worker}'s; no other lock guards the
 * supervisor's state. Every blocking wait in a foreign call (poll, read, waitid, execve) runs on a
 * platform thread.
 */
package dev.baton.supervisor;
