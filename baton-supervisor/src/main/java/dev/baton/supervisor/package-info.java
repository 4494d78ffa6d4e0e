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
 *   ├─ WorkerLauncher      start a Worker, wait for readiness  (caller's thread)
 *   │   └─ ReadinessWatch  notify / tcp probe / delay
 *   ├─ CrashRestarts       a restart once the backoff is over  (baton-restart thread)
 *   ├─ Retirement          SIGTERM, drain timeout, SIGKILL, the draining cap
 *   ├─ SelfUpgrade         old image: carry state, execve      (baton-upgrade-supervisor thread)
 *   ├─ TakeOver            new image: read SupervisorState, re-attach workers
 *   ├─ SupervisorControl   the ControlledService: control socket, signals (control server's threads)
 *   ├─ SupervisorThreads   the timer and every background thread (a Scheduler)
 *   └─ Reaper              reaps workers through their pidfds  (baton-reaper thread)
 *  Worker ── one process: its pidfd, WorkerOutput relays, NotifySocket; its monitor guards its state
 * </pre>
 *
 * <p>Lock order: {@code SupervisorMachine}'s monitor, then a {@code Worker}'s; no other lock guards the
 * supervisor's state. Every blocking wait in a foreign call (poll, read, waitid, execve) runs on a
 * platform thread.
 */
package dev.baton.supervisor;
