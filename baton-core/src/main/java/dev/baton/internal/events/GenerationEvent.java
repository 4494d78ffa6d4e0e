package dev.baton.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/** What every Baton event records: the generation and pid that record it. */
@Category("Baton")
@StackTrace(false)
abstract class GenerationEvent extends Event {

    @Label("Generation")
    @Description("The generation that records the event")
    public int generation;

    @Label("PID")
    @Description("Its pid")
    public long pid;

    /** Sets the fields every event has; returns this event. */
    final void recordedBy(int recordingGeneration, long recordingPid) {
        generation = recordingGeneration;
        pid = recordingPid;
    }
}
