package dev.baton.cli;

import dev.baton.UpgradeResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code baton reload}: upgrades a running service and says how it went; exits 1 if it failed. */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Start a new generation of a running service and wait until it serves.")
final class ReloadCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "90s", converter = DurationConverter.class,
            description = "How long to wait for the result (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UpgradeResult result = service.control().reload(wait);
        if (result.succeeded()) {
            spec.commandLine().getOut().println("reloaded: " + result.message());
            return 0;
        }
        var err = spec.commandLine().getErr();
        err.println("baton reload: " + (result.outcome() == UpgradeResult.Outcome.REFUSED ? "refused: " : "failed: ")
                + result.message());
        if (!result.lastOutput().isEmpty()) {
            err.println("its last lines of output:");
            result.lastOutput().forEach(line -> err.println("  " + line));
        }
        return 1;
    }
}
