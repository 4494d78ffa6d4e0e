package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.baton.Hammered}. */
@Name("dev.baton.Hammered")
@Label("Hammered")
@Description("The drain's hammer closed the connections still open")
public final class HammeredEvent extends GenerationEvent {

    @Label("Connections")
    @Description("How many connections it closed")
    public int connections;

    @Label("Trigger")
    @Description("What brought the hammer: the drain timeout, a second stop, too many draining generations")
    public String trigger;
}
