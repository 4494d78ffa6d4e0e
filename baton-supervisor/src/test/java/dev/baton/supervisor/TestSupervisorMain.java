package dev.baton.supervisor;

import dev.baton.ListenAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a supervisor in a process of its own, for the tests: what {@code baton run} does, without
 * picocli (baton-cli depends on this module, so its tests cannot). Arguments: {@code NAME=VALUE}
 * settings ({@code name}, {@code listen.<listener>}, {@code ready}, {@code ready-timeout},
 * {@code drain-timeout}, {@code max-draining}, {@code pidfile}, {@code aot-cache}), then {@code --}, then the command.
 * Exits 0 after a stop, 1 if the first worker failed (the message on standard error).
 */
public final class TestSupervisorMain {

    private TestSupervisorMain() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$-7s %5$s%6$s%n");
        int separator = Arrays.asList(args).indexOf("--");
        List<String> command = Arrays.asList(args).subList(separator + 1, args.length);
        SupervisorOptions options = SupervisorOptions.of(command);
        for (String setting : Arrays.asList(args).subList(0, separator)) {
            String key = setting.substring(0, setting.indexOf('='));
            String value = setting.substring(setting.indexOf('=') + 1);
            options = switch (key) {
                case "name" -> options.withName(value);
                case "ready" -> options.withReadiness(Readiness.parse(value));
                case "ready-timeout" -> options.withReadyTimeout(SupervisorOptions.parseDuration(value));
                case "drain-timeout" -> options.withDrainTimeout(SupervisorOptions.parseDuration(value));
                case "max-draining" -> options.withMaxDrainingGenerations(Integer.parseInt(value));
                case "shutdown-delay" -> options.withShutdownDelay(SupervisorOptions.parseDuration(value));
                case "pidfile" -> options.withPidFile(java.nio.file.Path.of(value));
                case "aot-cache" -> options.toBuilder().aotCache(java.nio.file.Path.of(value)).build();
                default -> {
                    if (!key.startsWith("listen.")) {
                        throw new IllegalArgumentException("unknown setting " + key);
                    }
                    yield options.withListener(key.substring("listen.".length()), ListenAddress.parse(value));
                }
            };
        }
        Supervisor supervisor;
        try {
            supervisor = Supervisor.open(options, System.out, System.err);
            supervisor.handleSignals();
            supervisor.start();
        } catch (java.io.IOException e) {
            System.err.println("baton run: " + e.getMessage());
            System.exit(1);
            return;
        }
        supervisor.awaitStopped();
        System.exit(0);
    }
}
