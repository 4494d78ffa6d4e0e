package dev.baton.demo.cli;

import dev.baton.demo.DemoJob;
import dev.baton.demo.UpgradeTiming;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code baton bench}: the demo job as a benchmark: the same load and upgrades, then one summary line
 * with the load figures and the upgrade timings, to paste into bench/RESULTS.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run the demo job and print one summary line of its figures.")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    DemoArguments arguments;

    @Override
    public Integer call() throws Exception {
        DemoJob.Outcome outcome = DemoJob.run(arguments.options(), System.err);
        long maxReady = outcome.upgrades().stream().mapToLong(u -> u.untilReady().toMillis()).max().orElse(0);
        long maxDrained = outcome.upgrades().stream()
                .mapToLong(u -> u.untilDrained().map(java.time.Duration::toMillis).orElse(-1L)).max().orElse(0);
        long ok = outcome.upgrades().stream().filter(UpgradeTiming::succeeded).count();
        System.out.println(outcome.load().toSummaryLine() + " upgrades=" + ok + "/" + outcome.upgrades().size()
                + " max_ready_ms=" + maxReady + " max_drained_ms=" + maxDrained);
        return outcome.passed() ? 0 : 1;
    }
}
