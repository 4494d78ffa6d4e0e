package dev.baton.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.baton.DrainStarted}. */
@Name("dev.baton.DrainStarted")
@Label("Drain Started")
@Description("This generation stopped accepting and began to drain")
@Category("Baton")
@StackTrace(false)
public final class DrainStartedEvent extends Event {

    @Label("Generation")
    @Description("The generation that records the event")
    public int generation;

    @Label("PID")
    @Description("Its pid")
    public long pid;

    @Label("Final Stop")
    @Description("Whether the service stops (no successor serves)")
    public boolean finalStop;

    @Label("Reason")
    @Description("Why it drains")
    public String reason;
}
