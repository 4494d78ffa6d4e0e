package dev.baton.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that talks to one running service over its control socket ({@code reload}, {@code status},
 * {@code stop}, {@code upgrade-supervisor}): which service, the streams picocli gives, and the one wording
 * of a request's outcome and its exit status (0 done, 1 refused or failed).
 */
abstract class ServiceCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Prints how a request ended and returns the exit status: {@code "<done>: <message>"} on standard
     * output, or {@code "baton <command>: refused|failed: <message>"} and the service's last lines of
     * output, if it sent some, on standard error.
     */
    int outcome(String done, boolean succeeded, boolean refused, String message, List<String> lastOutput) {
        if (succeeded) {
            out().println(done + ": " + message);
            return 0;
        }
        PrintWriter err = err();
        err.println("baton " + spec.name() + ": " + (refused ? "refused: " : "failed: ") + message);
        if (!lastOutput.isEmpty()) {
            err.println("its last lines of output:");
            lastOutput.forEach(line -> err.println("  " + line));
        }
        return 1;
    }
}
