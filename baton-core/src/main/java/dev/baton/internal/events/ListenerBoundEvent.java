package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.baton.ListenerBound}. */
@Name("dev.baton.ListenerBound")
@Label("Listener Bound")
@Description("A listener was bound anew; the duration is the bind")
public final class ListenerBoundEvent extends ListenerEvent {
}
