package dev.baton.cli;

import dev.baton.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton status}: shows a running service's processes and listeners, for people or as JSON. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a running service's pid, listeners, generations, last reload and its upgrade and "
        + "drain figures.")
final class StatusCommand extends ServiceCommand {

    @Option(names = "--json", description = "Print JSON, for machines.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ServiceStatus status = service.control().status();
        out().println(json ? StatusJson.render(status) : text(status));
        return 0;
    }

    private static String text(ServiceStatus status) {
        StringBuilder text = new StringBuilder();
        text.append("service   ").append(status.name()).append(" (").append(status.mode()).append(")\n");
        text.append("pid       ").append(status.pid()).append(' ').append(status.state()).append('\n');
        text.append("listeners ").append(String.join(", ", status.listeners())).append('\n');
        text.append("processes\n");
        for (ServiceStatus.ProcessStatus process : status.processes()) {
            Duration uptime = Duration.between(process.started(), Instant.now());
            text.append(String.format("  pid %-8d generation %-4d %-10s up %s%n", process.pid(),
                    process.generation(), process.state(), human(uptime)));
        }
        text.append("last reload ").append(status.lastReload()).append('\n');
        ServiceStatus.Figures figures = status.figures();
        text.append("upgrades  ").append(figures.upgradesSucceeded()).append(" succeeded, ")
                .append(figures.upgradesFailed()).append(" failed, ").append(figures.upgradesRefused())
                .append(" refused; last ready in ").append(millis(figures.lastTimeToReady())).append('\n');
        text.append("drains    last in ").append(millis(figures.lastDrain())).append(", ")
                .append(figures.hammered()).append(" connections hammered, ").append(figures.generationsDraining())
                .append(" generations draining");
        return text.toString();
    }

    private static String millis(Optional<Duration> duration) {
        return duration.map(d -> d.toMillis() + " ms").orElse("-");
    }

    private static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 7200) {
            return seconds / 60 + "m";
        }
        return seconds / 3600 + "h" + (seconds % 3600) / 60 + "m";
    }
}
