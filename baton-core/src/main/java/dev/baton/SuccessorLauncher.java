package dev.baton;

import dev.baton.internal.os.Availability;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starts a successor generation: {@link #PROCESSES} runs a real process; the state-machine tests fake it. */
@FunctionalInterface
interface SuccessorLauncher {

    /**
     * Runs the command line again, as a child process of this one: through posix_spawn with the listeners
     * at its descriptors 3, 4, ... ({@link SuccessorProcess}) where this C library and kernel offer what that
     * needs, else through {@code ProcessBuilder} ({@link ProcessBuilderSuccessor}), which hands it none.
     */
    SuccessorLauncher PROCESSES = new SuccessorLauncher() {
        @Override
        public Successor launch(List<String> command, Map<String, String> add, List<String> remove, int[] listeners)
                throws IOException {
            if (Spawning.UNAVAILABLE.isEmpty()) {
                return SuccessorProcess.start(command, add, remove, listeners);
            }
            Map<String, String> without = new HashMap<>(add);
            without.remove(HandedListeners.VARIABLE); // none is handed at the spawn
            return ProcessBuilderSuccessor.start(command, without, remove);
        }

        @Override
        public void prepare() {
            if (Spawning.UNAVAILABLE.isEmpty()) {
                SuccessorProcess.link();
            }
        }

        @Override
        public void watchStart(Successor successor, Map<String, String> add, String logPrefix) {
            StartPriority.servingNice(add).ifPresent(serving -> new StarvedStart(GenerationClock.SYSTEM,
                    successor.pid(), StarvedStart.process(successor), serving, logPrefix).start());
        }
    };

    /**
     * Starts {@code command} with this process's environment, less {@code remove}, plus {@code add}, and the
     * descriptors {@code listeners} at its descriptors 3, 4, ... ({@link HandedListeners}).
     *
     * @throws IOException if it cannot be started at all (a missing executable, for instance)
     */
    Successor launch(List<String> command, Map<String, String> add, List<String> remove, int[] listeners)
            throws IOException;

    /**
     * Does now what the first {@link #launch} of this JVM would otherwise do cold, at the reload: linking the
     * C functions it calls. Changes nothing; called off the serving path once the generation is ready.
     */
    default void prepare() {}

    /**
     * Watches the start of {@code successor}, launched with {@code add}: one started at a lower priority is set
     * back to the serving one if the CPU turns out to be busy ({@link StarvedStart}).
     */
    default void watchStart(Successor successor, Map<String, String> add, String logPrefix) {}

    /**
     * Whether successors can be spawned with their listeners here, checked once. {@value #VARIABLE}{@code
     * =process-builder} asks for {@code ProcessBuilder} anyway: a way out should posix_spawn misbehave
     * somewhere, and the switch that keeps the fallback tested.
     */
    final class Spawning {
        static final String VARIABLE = "BATON_SUCCESSOR_LAUNCH";
        static final Optional<String> UNAVAILABLE = check();

        private Spawning() {}

        private static Optional<String> check() {
            String asked = System.getenv(VARIABLE);
            if (asked != null && !asked.isEmpty() && !asked.equals("process-builder")) {
                System.getLogger("dev.baton").log(Level.WARNING, VARIABLE + "='" + asked + "' is not a value Baton "
                        + "knows (the only one is process-builder); it is ignored");
            }
            Optional<String> cause = "process-builder".equals(asked)
                    ? Optional.of(VARIABLE + "=process-builder asks for it")
                    : Availability.supervisorUnavailabilityCause();
            cause.ifPresent(why -> System.getLogger("dev.baton").log(Level.INFO, "successors start through "
                    + "ProcessBuilder and get their listeners at the handover only (" + why + "): a predecessor "
                    + "that dies before the handover leaves its successor to bind them afresh"));
            return cause;
        }
    }
}
