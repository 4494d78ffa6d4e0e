package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.baton.ListenerInherited}. */
@Name("dev.baton.ListenerInherited")
@Label("Listener Inherited")
@Description("A listener was taken over from the predecessor or the service manager, with no new bind")
public final class ListenerInheritedEvent extends ListenerEvent {
}
