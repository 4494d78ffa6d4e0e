package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.baton.UpgradeRequested}. */
@Name("dev.baton.UpgradeRequested")
@Label("Upgrade Requested")
@Description("An upgrade was asked for (a signal, baton reload, the API); refused says why none was started")
public final class UpgradeRequestedEvent extends GenerationEvent {

    @Label("Trigger")
    @Description("Who asked")
    public String trigger;

    @Label("Successor Generation")
    @Description("The generation to start, or 0 if refused")
    public int successorGeneration;

    @Label("Refused")
    @Description("Why the upgrade was refused; empty if it was not")
    public String refused;
}
