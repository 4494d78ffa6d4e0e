package dev.baton.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.baton.Hammered}. */
@Name("dev.baton.Hammered")
@Label("Hammered")
@Description("The drain's hammer closed the connections still open")
@Category("Baton")
@StackTrace(false)
public final class HammeredEvent extends Event {

    @Label("Generation")
    @Description("The generation that records the event")
    public int generation;

    @Label("PID")
    @Description("Its pid")
    public long pid;

    @Label("Connections")
    @Description("How many connections it closed")
    public int connections;

    @Label("Trigger")
    @Description("What brought the hammer: the drain timeout, a second stop, too many draining generations")
    public String trigger;
}
