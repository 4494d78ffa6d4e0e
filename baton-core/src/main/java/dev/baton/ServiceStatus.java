package dev.baton;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a running Baton service reports about itself, for {@code baton status}.
 *
 * @param pid the pid that answered: the serving generation, or the supervisor
 * @param name the service's name
 * @param mode {@code in-process} or {@code supervised}
 * @param state the answering process's state, such as {@code serving}
 * @param listeners each listener as {@code name=address}
 * @param processes the serving generation and those still draining (in-process), or the workers (supervised)
 * @param lastReload how the last reload ended, or {@code none}
 */
public record ServiceStatus(long pid, String name, String mode, String state, List<String> listeners,
        List<ProcessStatus> processes, String lastReload) {

    public ServiceStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastReload, "lastReload");
        listeners = List.copyOf(listeners);
        processes = List.copyOf(processes);
    }

    /**
     * One process of the service.
     *
     * @param pid its pid
     * @param generation its generation number
     * @param state such as {@code serving}, {@code draining}, {@code starting}
     * @param started when it started
     */
    public record ProcessStatus(long pid, int generation, String state, Instant started) {
        public ProcessStatus {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(started, "started");
        }
    }
}
