package dev.baton.cli;

import dev.baton.ListenAddress;
import dev.baton.supervisor.Readiness;
import dev.baton.supervisor.Supervisor;
import dev.baton.supervisor.SupervisorOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code baton run}: the supervised mode. A supervisor with a stable pid owns the listeners and runs
 * the command as a worker with them at descriptors 3, 4, ... ({@code LISTEN_FDS}, as systemd passes
 * them); SIGHUP, SIGUSR2 (where the JVM leaves it free) or {@code baton reload} replace the worker once a new one is ready.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Supervise a server of any language: bind the listeners, run COMMAND with them at descriptors "
                + "3, 4, ... (LISTEN_FDS, LISTEN_FDNAMES, LISTEN_PID, as systemd passes them), replace it on "
                + "SIGHUP (SIGUSR2 when _JAVA_SR_SIGNUM frees it) or 'baton reload' once the new one is ready, restart it if it crashes. "
                + "SIGTERM or SIGINT (or 'baton stop') drain the worker and exit.",
                "Example: baton run --listen http=:8080 --ready notify -- java -jar app.jar"})
final class RunCommand implements Callable<Integer> {

    /** One {@code --listen NAME=ADDRESS}. */
    record ListenOption(String name, ListenAddress address) {}

    /** Reads {@code NAME=ADDRESS}; a bad form is a usage error (exit 2) naming the forms accepted. */
    static final class ListenConverter implements CommandLine.ITypeConverter<ListenOption> {
        @Override
        public ListenOption convert(String value) {
            int equals = value.indexOf('=');
            if (equals <= 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not NAME=ADDRESS; write it as "
                        + "http=:8080, http=0.0.0.0:8080, http=[::1]:8080 or admin=unix:/run/app/admin.sock");
            }
            try {
                return new ListenOption(value.substring(0, equals), ListenAddress.parse(value.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage()
                        + " (forms: :8080, 0.0.0.0:8080, [::1]:8080, unix:/path)");
            }
        }
    }

    /** Reads {@code notify}, {@code tcp:PORT}, {@code delay=2s}. */
    static final class ReadinessConverter implements CommandLine.ITypeConverter<Readiness> {
        @Override
        public Readiness convert(String value) {
            try {
                return Readiness.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--name", paramLabel = "NAME", defaultValue = SupervisorOptions.DEFAULT_NAME,
            description = "The service name: its control socket is <control dir>/NAME.sock (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--listen", paramLabel = "NAME=ADDRESS", converter = ListenConverter.class,
            description = "A listener to bind and hand to the workers, in order (fd 3, 4, ...): http=:8080, "
                    + "http=127.0.0.1:8080, http=[::1]:8080, admin=unix:/run/app/admin.sock. Repeatable. Taken "
                    + "from systemd socket activation instead when LISTEN_FDNAMES names it.")
    List<ListenOption> listen = new ArrayList<>();

    @Option(names = "--ready", paramLabel = "HOW", converter = ReadinessConverter.class, defaultValue = "notify",
            description = "How a worker tells it is ready: notify (READY=1 on $NOTIFY_SOCKET, the sd_notify "
                    + "protocol), tcp:PORT (a port of its own accepts), delay=2s (default: ${DEFAULT-VALUE}).")
    Readiness readiness;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "60s", description = "How long a new worker may take to be ready (default: ${DEFAULT-VALUE}).")
    Duration readyTimeout;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "30s", description = "How long an old worker may drain after SIGTERM before SIGKILL "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--max-draining", paramLabel = "N", defaultValue = "" + SupervisorOptions.DEFAULT_MAX_DRAINING_GENERATIONS,
            description = "How many old workers may drain at once; the oldest is killed past it (default: ${DEFAULT-VALUE}).")
    int maxDraining;

    @Option(names = "--shutdown-delay", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "0s", description = "On a final stop (SIGTERM, baton stop): keep the workers serving this "
                    + "long before their SIGTERM; a Baton worker turns not ready at once (default: ${DEFAULT-VALUE}).")
    Duration shutdownDelay;

    @Option(names = "--pidfile", paramLabel = "FILE", description = "Keep the supervisor's pid here.")
    Path pidFile;

    @Option(names = "--aot-cache", paramLabel = "DIR", description = "For a Java worker (java -jar ...): record the "
            + "JDK's AOT cache of its command line as workers run and start later workers from it (default: "
            + "$BATON_AOT_CACHE; off if unset).")
    Path aotCache;

    @Parameters(arity = "1..*", paramLabel = "COMMAND",
            description = "The worker's command and arguments, after '--'; run again at every reload.")
    List<String> command;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Logging.configure();
        if (maxDraining < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-draining must be at least 1 (how many "
                    + "old workers may drain at once), not " + maxDraining);
        }
        SupervisorOptions options;
        try {
            SupervisorOptions.Builder builder = SupervisorOptions.builder(command).name(name).readiness(readiness)
                    .readyTimeout(readyTimeout).drainTimeout(drainTimeout).maxDrainingGenerations(maxDraining)
                    .pidFile(pidFile).shutdownDelay(shutdownDelay).aotCache(aotCache);
            for (ListenOption option : listen) {
                builder.listener(option.name(), option.address());
            }
            options = builder.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Supervisor supervisor = Supervisor.open(options, System.out, System.err);
        supervisor.handleSignals();
        supervisor.start();
        supervisor.awaitStopped();
        return 0;
    }
}
