package dev.baton.internal.os;

import java.lang.invoke.MethodHandles;
import java.util.List;

/**
 * Links C functions ahead of their first call. The classes of this package link theirs in their static
 * initialisers, a few milliseconds each in a JVM that has not run them yet (the first pays ~15 ms more for
 * the linker itself); an AOT cache does not keep them (JDK 25 spins the downcall stubs at run time). A
 * successor waits for every one of them on its way to ready, unless they were linked beforehand, beside
 * other work.
 */
public final class Linking {

    /** What {@code Baton.open} and {@code ready()} call: the process, the control socket, the signals. */
    public static final List<Class<?>> START = List.of(Processes.class, Sockets.class, Descriptors.class,
            DescriptorPassing.class, Signals.class, HeldSignals.class, SignalSets.class);

    /** What a successor's spawn calls. */
    public static final List<Class<?>> SPAWN = List.of(Pipes.class, Spawn.class, ChildProcesses.class,
            CpuPriority.class, Descriptors.class, Processes.class);

    private Linking() {}

    /** Initialises {@code classes}, which links their C functions; those already initialised cost nothing. */
    public static void link(List<Class<?>> classes) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Class<?> linking : classes) {
            try {
                lookup.ensureInitialized(linking);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e); // classes of this package
            }
        }
    }
}
