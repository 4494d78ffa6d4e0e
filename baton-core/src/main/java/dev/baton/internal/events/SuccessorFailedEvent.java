package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.baton.SuccessorFailed}. */
@Name("dev.baton.SuccessorFailed")
@Label("Successor Failed")
@Description("The successor failed (exited, crashed, not ready in time, stopped); the old generation goes on serving. The duration is from the upgrade's start until the failure")
public final class SuccessorFailedEvent extends SuccessorEvent {

    @Label("Reason")
    @Description("Why it failed")
    public String reason;
}
