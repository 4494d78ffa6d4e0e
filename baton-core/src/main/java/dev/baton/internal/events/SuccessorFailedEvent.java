package dev.baton.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.baton.SuccessorFailed}. */
@Name("dev.baton.SuccessorFailed")
@Label("Successor Failed")
@Description("The successor failed (exited, crashed, not ready in time, stopped); the old generation goes on serving. The duration is from the upgrade's start until the failure")
@Category("Baton")
@StackTrace(false)
public final class SuccessorFailedEvent extends Event {

    @Label("Generation")
    @Description("The generation that records the event")
    public int generation;

    @Label("PID")
    @Description("Its pid")
    public long pid;

    @Label("Successor PID")
    @Description("The successor's pid, or 0 if it could not be started")
    public long successorPid;

    @Label("Successor Generation")
    @Description("The successor's generation")
    public int successorGeneration;

    @Label("Reason")
    @Description("Why it failed")
    public String reason;
}
