package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.baton.SuccessorReady}. */
@Name("dev.baton.SuccessorReady")
@Label("Successor Ready")
@Description("The successor took over and serves; the duration is from the upgrade's start until ready")
public final class SuccessorReadyEvent extends SuccessorEvent {
}
