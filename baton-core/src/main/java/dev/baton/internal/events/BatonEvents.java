package dev.baton.internal.events;

/**
 * Where the lifecycle commits its JFR events: one call at each place where something happens. Events with
 * a duration are begun where the thing starts and committed where it ends, through the small handles
 * {@link Upgrade} and {@link Drain}; each handle is used by one thread.
 */
public final class BatonEvents {

    private BatonEvents() {}

    /** An upgrade was asked for; {@code refused} is empty unless it was refused. */
    public static void upgradeRequested(int generation, long pid, String trigger, int successorGeneration,
            String refused) {
        UpgradeRequestedEvent event = new UpgradeRequestedEvent();
        if (event.isEnabled()) {
            event.recordedBy(generation, pid);
            event.trigger = trigger;
            event.successorGeneration = successorGeneration;
            event.refused = refused;
            event.commit();
        }
    }

    /** An upgrade begins: its successor is about to be launched. */
    public static Upgrade upgradeBegins(int generation, long pid, int successorGeneration) {
        return new Upgrade(generation, pid, successorGeneration);
    }

    /** A drain begins. */
    public static Drain drainStarted(int generation, long pid, boolean finalStop, String reason) {
        DrainStartedEvent event = new DrainStartedEvent();
        if (event.isEnabled()) {
            event.recordedBy(generation, pid);
            event.finalStop = finalStop;
            event.reason = reason;
            event.commit();
        }
        return new Drain(generation, pid);
    }

    /** A listener was taken over without a new bind. */
    public static void listenerInherited(int generation, String name, String address, int descriptor) {
        ListenerInheritedEvent event = new ListenerInheritedEvent();
        if (event.isEnabled()) {
            event.generation = generation;
            event.pid = ProcessHandle.current().pid();
            event.name = name;
            event.address = address;
            event.descriptor = descriptor;
            event.commit();
        }
    }

    /** A bind begins; {@link #listenerBound} commits it. */
    public static ListenerBoundEvent bindBegins() {
        ListenerBoundEvent event = new ListenerBoundEvent();
        event.begin();
        return event;
    }

    /** The bind {@code event} began has succeeded. */
    public static void listenerBound(ListenerBoundEvent event, int generation, String name, String address,
            int descriptor) {
        event.end();
        if (event.shouldCommit()) {
            event.generation = generation;
            event.pid = ProcessHandle.current().pid();
            event.name = name;
            event.address = address;
            event.descriptor = descriptor;
            event.commit();
        }
    }

    /** One upgrade's events, from the predecessor's side: begun when the upgrade starts. */
    public static final class Upgrade {

        private final int generation;
        private final long pid;
        private final int successorGeneration;
        private final SuccessorReadyEvent ready = new SuccessorReadyEvent();
        private final SuccessorFailedEvent failed = new SuccessorFailedEvent();
        private final SuccessorStartedEvent started = new SuccessorStartedEvent();
        private long successorPid;

        private Upgrade(int generation, long pid, int successorGeneration) {
            this.generation = generation;
            this.pid = pid;
            this.successorGeneration = successorGeneration;
            ready.begin();
            failed.begin();
            started.begin();
        }

        /** The successor's process runs as {@code pid}. */
        public void started(long successorPid) {
            this.successorPid = successorPid;
            started.end();
            if (started.shouldCommit()) {
                started.recordedBy(generation, pid);
                about(started);
                started.commit();
            }
        }

        private void about(SuccessorEvent event) {
            event.successorPid = successorPid;
            event.successorGeneration = successorGeneration;
        }

        /** The successor serves. */
        public void ready() {
            ready.end();
            if (ready.shouldCommit()) {
                ready.recordedBy(generation, pid);
                about(ready);
                ready.commit();
            }
        }

        /** The successor failed for {@code reason}. */
        public void failed(String reason) {
            failed.end();
            if (failed.shouldCommit()) {
                failed.recordedBy(generation, pid);
                about(failed);
                failed.reason = reason;
                failed.commit();
            }
        }
    }

    /** One drain's events: begun when it starts. */
    public static final class Drain {

        private final int generation;
        private final long pid;
        private final DrainedEvent drained = new DrainedEvent();

        private Drain(int generation, long pid) {
            this.generation = generation;
            this.pid = pid;
            drained.begin();
        }

        /** The hammer closed {@code connections}, brought by {@code trigger}. */
        public void hammered(int connections, String trigger) {
            HammeredEvent event = new HammeredEvent();
            if (event.isEnabled()) {
                event.recordedBy(generation, pid);
                event.connections = connections;
                event.trigger = trigger;
                event.commit();
            }
        }

        /** The drain is over. */
        public void drained(int hammered) {
            drained.end();
            if (drained.shouldCommit()) {
                drained.recordedBy(generation, pid);
                drained.hammered = hammered;
                drained.commit();
            }
        }
    }
}
