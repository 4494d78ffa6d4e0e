package dev.baton.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.baton.Drained}. */
@Name("dev.baton.Drained")
@Label("Drained")
@Description("This generation finished draining; the duration is the drain's")
@Category("Baton")
@StackTrace(false)
public final class DrainedEvent extends Event {

    @Label("Generation")
    @Description("The generation that records the event")
    public int generation;

    @Label("PID")
    @Description("Its pid")
    public long pid;

    @Label("Hammered")
    @Description("Connections the hammer closed")
    public int hammered;
}
