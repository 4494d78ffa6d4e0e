package dev.baton.internal.events;

import jdk.jfr.Description;
import jdk.jfr.Label;

/** An event about an upgrade's successor: which one. */
abstract class SuccessorEvent extends GenerationEvent {

    @Label("Successor PID")
    @Description("The successor's pid, or 0 if it could not be started")
    public long successorPid;

    @Label("Successor Generation")
    @Description("The successor's generation")
    public int successorGeneration;
}
