package dev.baton.demo.cli;

import dev.baton.demo.DemoJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code baton demo}: the main job; exits 1 if any request failed. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {"Start the demo server, load it with a closed-loop client that never retries, "
        + "upgrade it several times meanwhile, and report every request and every upgrade. Exits 1 if any request "
        + "failed."})
final class DemoCommand implements Callable<Integer> {

    @Mixin
    DemoArguments arguments;

    @Override
    public Integer call() throws Exception {
        return DemoJob.run(arguments.options(), System.out).passed() ? 0 : 1;
    }
}
