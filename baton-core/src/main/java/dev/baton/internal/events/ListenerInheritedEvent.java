package dev.baton.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.baton.ListenerInherited}. */
@Name("dev.baton.ListenerInherited")
@Label("Listener Inherited")
@Description("A listener was taken over from the predecessor or the service manager, with no new bind")
@Category("Baton")
@StackTrace(false)
public final class ListenerInheritedEvent extends Event {

    @Label("Generation")
    @Description("The generation that records the event")
    public int generation;

    @Label("PID")
    @Description("Its pid")
    public long pid;

    @Label("Name")
    @Description("The listener's name")
    public String name;

    @Label("Address")
    @Description("The address it is bound to")
    public String address;

    @Label("Descriptor")
    @Description("Its file descriptor")
    public int descriptor;
}
