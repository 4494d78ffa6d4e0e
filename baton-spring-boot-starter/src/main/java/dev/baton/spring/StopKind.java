package dev.baton.spring;

import dev.baton.Baton;
import java.nio.file.Files;

/** Tells a final stop (SIGTERM, {@code baton stop}) from the drain of a generation whose successor took over. */
final class StopKind {

    private StopKind() {}

    /**
     * Whether the drain that just began ends the service, rather than hands it to a successor.
     *
     * <p>The core does not say ({@code LifecycleListener.drainingStarted} carries no reason), so this
     * reads what it leaves behind: a final stop removes the control socket before draining, while a
     * handover leaves it to the successor, which goes on serving it. Under a Baton supervisor a worker
     * has no control socket and its drain is taken as a handover: the supervisor keeps the service.
     */
    static boolean isFinalStop(Baton baton) {
        return baton.controlSocket().map(socket -> !Files.exists(socket)).orElse(false);
    }
}
