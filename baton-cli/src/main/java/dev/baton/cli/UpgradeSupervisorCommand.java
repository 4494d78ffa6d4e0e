package dev.baton.cli;

import dev.baton.supervisor.SupervisorUpgrade;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baton upgrade-supervisor}: makes a running supervisor ({@code baton run}) re-execute its own,
 * possibly newer, program in place (same pid), keeping its listeners and workers; exits 1 if it was
 * refused or failed, in which case the supervisor goes on as it was. SIGUSR1 to the supervisor does
 * the same without waiting for the outcome.
 */
@Command(name = "upgrade-supervisor", mixinStandardHelpOptions = true,
        description = {"Make a running supervisor (baton run) re-execute its own, possibly newer, program in place: "
                + "same pid, its listeners and running workers kept; SIGUSR1 to the supervisor does the same. "
                + "If it cannot, nothing changes and this exits 1 saying why."})
final class UpgradeSupervisorCommand extends ServiceCommand {

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to wait for the new program image to answer (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Override
    public Integer call() throws Exception {
        SupervisorUpgrade.Result result = SupervisorUpgrade.request(service.control().socket(), wait);
        return outcome("upgraded", result.succeeded(), result.refused(), result.message(), List.of());
    }
}
