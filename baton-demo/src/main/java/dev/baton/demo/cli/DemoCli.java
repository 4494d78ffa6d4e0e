package dev.baton.demo.cli;

import java.util.Arrays;
import java.util.Optional;
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
        if (args.length > 0 && args[0].equals("demo-server")) { // every generation: see DemoServerFastPath
            Optional<DemoServerCommand> command = DemoServerFastPath.parse(Arrays.copyOfRange(args, 1, args.length));
            if (command.isPresent()) {
                System.exit(run(command.get()));
            }
        }
        System.exit(newCommandLine().execute(args));
    }

    /** Runs {@code command} as picocli's execute would, its error printed as the handler below prints it. */
    private static int run(DemoServerCommand command) {
        try {
            return command.call();
        } catch (Exception e) {
            System.err.println("baton demo-server: " + message(e));
            return 1;
        }
    }

    private static String message(Exception exception) {
        return exception.getMessage() == null ? exception.toString() : exception.getMessage();
    }

    /** The demo commands, their errors printed as {@code baton COMMAND: message} with exit code 1. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new DemoCli());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("baton " + cmd.getCommandName() + ": " + message(exception)));
            return 1;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
