package dev.baton.demo.cli;

import dev.baton.demo.DemoJob;
import dev.baton.demo.DemoJobOptions;
import dev.baton.demo.UpgradeImpact;
import dev.baton.demo.UpgradeTiming;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code baton bench}: the demo job as a benchmark: the same load and upgrades, then one summary line
 * with the load figures and the upgrade timings, to paste into bench/RESULTS.md. With {@code --impact},
 * the load twice on the same server, without and with the upgrades, side by side.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {
        "Run the demo job and print one summary line of its figures.",
        "--impact: run the same load twice on the same server, without upgrades and then with them, and print "
                + "both side by side with their ratios (a table, then one summary line)."})
final class BenchCommand implements Callable<Integer> {

    @Mixin
    DemoArguments arguments;

    @Option(names = "--impact", description = "Measure the cost of the upgrades: the load without them, then with them.")
    boolean impact;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
            description = "With --impact: an unreported load first, to warm the server and the load generator "
                    + "(0s for none) (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--delay", paramLabel = "MS", description = "Load GET /sleep?ms=MS instead of GET / (the handler's delay).")
    Integer delayMillis;

    @Option(names = "--warm-up", paramLabel = "ROUNDS", description = "The demo server's warm-up rounds before ready "
            + "(default: demo-server's).")
    Integer warmUpRounds;

    @Option(names = "--no-warm-up", description = "The demo server says ready without a warm-up.")
    boolean noWarmUp;

    @Option(names = "--server-arg", paramLabel = "ARG", description = "An argument added to every demo-server "
            + "command, for a measure to switch on or off; repeat it for several.")
    List<String> serverArguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        DemoJobOptions options = options();
        if (impact) {
            UpgradeImpact.Report report = UpgradeImpact.measure(options, settle, System.err);
            System.out.print(report.toTable());
            System.out.println(report.toSummaryLine() + (serverArguments().isEmpty() ? ""
                    : " server_args=" + String.join(",", serverArguments())));
            return report.passed() ? 0 : 1;
        }
        DemoJob.Outcome outcome = DemoJob.run(options, System.err);
        long maxReady = outcome.upgrades().stream().mapToLong(u -> u.untilReady().toMillis()).max().orElse(0);
        long maxDrained = outcome.upgrades().stream()
                .mapToLong(u -> u.untilDrained().map(Duration::toMillis).orElse(-1L)).max().orElse(0);
        long ok = outcome.upgrades().stream().filter(UpgradeTiming::succeeded).count();
        System.out.println(outcome.load().toSummaryLine() + " upgrades=" + ok + "/" + outcome.upgrades().size()
                + " max_ready_ms=" + maxReady + " max_drained_ms=" + maxDrained);
        return outcome.passed() ? 0 : 1;
    }

    private DemoJobOptions options() throws IOException {
        if (delayMillis != null && (delayMillis < 0 || delayMillis > 60_000)) {
            throw new IllegalArgumentException("--delay must be 0 to 60000 ms, not " + delayMillis);
        }
        DemoJobOptions options = arguments.options().withServerArguments(serverArguments());
        return delayMillis == null ? options : options.withPath("/sleep?ms=" + delayMillis);
    }

    /** The arguments of every demo-server command: the warm-up's, then those passed through. */
    private List<String> serverArguments() {
        List<String> all = new ArrayList<>();
        if (noWarmUp) {
            all.add("--no-warm-up");
        } else if (warmUpRounds != null) {
            all.addAll(List.of("--warm-up", warmUpRounds.toString()));
        }
        all.addAll(serverArguments);
        return all;
    }
}
