package dev.baton.demo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The demo's commands, {@code baton demo}, {@code baton demo-server} and {@code baton bench}: the entry
 * point of the demo jar, which {@code ./baton} runs for them (the {@code baton} command itself holds no
 * Jetty and no load generator). Errors become exit codes as in the {@code baton} command: 0 success,
 * 1 a failed operation, 2 bad usage.
 */
@Command(name = "baton",
        mixinStandardHelpOptions = true,
        description = "Baton's demo: a Jetty, Netty or gRPC server on Baton, upgraded under a load that counts every failed request.",
        subcommands = {DemoCommand.class, DemoServerCommand.class, BenchCommand.class, SoakCommand.class, CommandLine.HelpCommand.class})
public final class DemoCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The demo commands, their errors printed as {@code baton COMMAND: message} with exit code 1. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new DemoCli());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            String message = exception.getMessage() == null ? exception.toString() : exception.getMessage();
            cmd.getErr().println(cmd.getColorScheme().errorText("baton " + cmd.getCommandName() + ": " + message));
            return 1;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
