package dev.baton;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Starts a successor generation: {@link #PROCESSES} runs a real process; the state-machine tests fake it. */
@FunctionalInterface
interface SuccessorLauncher {

    /** Runs the command line again, as a child process of this one. */
    SuccessorLauncher PROCESSES = SuccessorProcess::start;

    /**
     * Starts {@code command} with this process's environment, less {@code remove}, plus {@code add}, and the
     * descriptors {@code listeners} at its descriptors 3, 4, ... ({@link HandedListeners}).
     *
     * @throws IOException if it cannot be started at all (a missing executable, for instance)
     */
    Successor launch(List<String> command, Map<String, String> add, List<String> remove, int[] listeners)
            throws IOException;
}
