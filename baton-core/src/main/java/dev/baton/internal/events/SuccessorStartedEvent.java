package dev.baton.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.baton.SuccessorStarted}. */
@Name("dev.baton.SuccessorStarted")
@Label("Successor Started")
@Description("The predecessor started its successor's process; the duration is the launch")
@Category("Baton")
@StackTrace(false)
public final class SuccessorStartedEvent extends Event {

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
