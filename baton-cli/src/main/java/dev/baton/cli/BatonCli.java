package dev.baton.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
                + "Jetty and the load generator): demo, demo-server, bench."})
public final class BatonCli implements Runnable {

    /**
     * The subcommands, by name. picocli reads a command's annotations when it is added, which is most of
     * what a short command costs: a call that names one gets that one alone (see {@link #newCommandLine}).
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("reload", ReloadCommand::new);
        commands.put("status", StatusCommand::new);
        commands.put("stop", StopCommand::new);
        commands.put("run", RunCommand::new);
        commands.put("upgrade-supervisor", UpgradeSupervisorCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI with {@code args} and returns its exit code; for tests and for {@link #main}. */
    public static int execute(String... args) {
        return newCommandLine(args.length > 0 ? args[0] : "").execute(args);
    }

    /** The CLI with every subcommand, as {@code baton --help} shows them. */
    static CommandLine newCommandLine() {
        return newCommandLine("");
    }

    /**
     * The CLI for a call whose first argument is {@code first}: with that subcommand alone if it names
     * one, else with all of them (for help, and for an error that lists them).
     */
    static CommandLine newCommandLine(String first) {
        CommandLine commandLine = new CommandLine(new BatonCli());
        Supplier<Object> named = COMMANDS.get(first);
        if (named != null) {
            commandLine.addSubcommand(named.get());
        } else {
            COMMANDS.values().forEach(command -> commandLine.addSubcommand(command.get()));
            commandLine.addSubcommand(new CommandLine.HelpCommand());
        }
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
