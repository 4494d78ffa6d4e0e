package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.baton.DrainStarted}. */
@Name("dev.baton.DrainStarted")
@Label("Drain Started")
@Description("This generation stopped accepting and began to drain")
public final class DrainStartedEvent extends GenerationEvent {

    @Label("Final Stop")
    @Description("Whether the service stops (no successor serves)")
    public boolean finalStop;

    @Label("Reason")
    @Description("Why it drains")
    public String reason;
}
