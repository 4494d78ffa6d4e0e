package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.baton.SuccessorStarted}. */
@Name("dev.baton.SuccessorStarted")
@Label("Successor Started")
@Description("The predecessor started its successor's process; the duration is the launch")
public final class SuccessorStartedEvent extends SuccessorEvent {
}
