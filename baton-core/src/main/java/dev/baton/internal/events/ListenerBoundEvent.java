package dev.baton.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.baton.ListenerBound}. */
@Name("dev.baton.ListenerBound")
@Label("Listener Bound")
@Description("A listener was bound anew; the duration is the bind")
@Category("Baton")
@StackTrace(false)
public final class ListenerBoundEvent extends Event {

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
