package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.baton.Drained}. */
@Name("dev.baton.Drained")
@Label("Drained")
@Description("This generation finished draining; the duration is the drain's")
public final class DrainedEvent extends GenerationEvent {

    @Label("Hammered")
    @Description("Connections the hammer closed")
    public int hammered;
}
