package dev.baton.cli;

import dev.baton.UpgradeResult;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton reload}: upgrades a running service and says how it went; exits 1 if it failed. */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Start a new generation of a running service and wait until it serves.")
final class ReloadCommand extends ServiceCommand {

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "90s", converter = DurationConverter.class,
            description = "How long to wait for the result (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Override
    public Integer call() throws Exception {
        UpgradeResult result = service.control().reload(wait);
        return outcome("reloaded", result.succeeded(), result.outcome() == UpgradeResult.Outcome.REFUSED,
                result.message(), result.lastOutput());
    }
}
