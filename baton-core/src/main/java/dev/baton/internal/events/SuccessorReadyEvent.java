package dev.baton.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.baton.SuccessorReady}. */
@Name("dev.baton.SuccessorReady")
@Label("Successor Ready")
@Description("The successor took over and serves; the duration is from the upgrade's start until ready")
@Category("Baton")
@StackTrace(false)
public final class SuccessorReadyEvent extends Event {

    @Label("Generation")
    @Description("The generation that records the event")
    public int generation;

    @Label("PID")
    @Description("Its pid")
    public long pid;

    @Label("Successor PID")
    @Description("The successor's pid")
    public long successorPid;

    @Label("Successor Generation")
    @Description("The successor's generation")
    public int successorGeneration;
}
