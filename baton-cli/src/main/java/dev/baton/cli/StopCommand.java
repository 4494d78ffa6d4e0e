package dev.baton.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code baton stop}: stops a running service, gracefully or at once. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a running service: it stops accepting, drains, and exits.")
final class StopCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service;

    @Option(names = "--now", description = "Stop at once: close open connections instead of draining them.")
    boolean now;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long pid = service.control().stop(now);
        spec.commandLine().getOut().println("stopping pid " + pid + (now ? " now" : "; it drains, then exits"));
        return 0;
    }
}
