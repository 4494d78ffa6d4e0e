package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;

/** An event about one listener: its name, address and descriptor. */
abstract class ListenerEvent extends GenerationEvent {

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
