package dev.baton.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code baton} command: the entry point of the CLI. Each subcommand is a class of its own;
 * errors become exit codes here, in one place: 0 success, 1 a failed operation, 2 bad usage.
 */
@Command(name = "baton",
        mixinStandardHelpOptions = true,
        versionProvider = BatonCli.Version.class,
        description = "Zero-downtime restarts and binary upgrades for JVM network servers on Linux.",
        footer = {"", "From a checkout, ./baton also runs the demo's commands (from the demo's own jar, which holds "
                + "Jetty and the load generator): demo, demo-server, bench."},
        subcommands = {
            ReloadCommand.class,
            StatusCommand.class,
            StopCommand.class,
            RunCommand.class,
            UpgradeSupervisorCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BatonCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI with {@code args} and returns its exit code; for tests and for {@link #main}. */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new BatonCli());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("baton " + cmd.getCommandName() + ": "
                    + describe(exception)));
            return 1;
        });
        return commandLine;
    }

    private static String describe(Exception exception) {
        String message = exception.getMessage();
        return message == null ? exception.toString() : message;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BatonCli.class.getPackage().getImplementationVersion();
            return new String[] {"baton " + (version == null ? "(development build)" : version)};
        }
    }
}
