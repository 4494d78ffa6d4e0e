package dev.baton.demo.cli;

import dev.baton.demo.Soak;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code baton soak}: many upgrades in a row under a light load, with the serving processes' figures. */
@Command(name = "soak", mixinStandardHelpOptions = true, description = {
        "Upgrade the demo server many times in a row under a light load that never retries, and print the serving "
                + "processes' descriptors, threads and resident memory every so many upgrades. Exits 1 if any "
                + "request or upgrade failed. A benchmark, not a test: 1000 upgrades take about an hour on 2 cores."})
final class SoakCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--upgrades", defaultValue = "1000", paramLabel = "N",
            description = "Upgrades in a row (default: ${DEFAULT-VALUE}).")
    int upgrades;

    @Option(names = "--every", defaultValue = "100", paramLabel = "N",
            description = "Print the figures after every N upgrades (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--connections", defaultValue = "4", paramLabel = "N",
            description = "Keep-alive connections of the light load (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--supervised",
            description = "Run the demo server as the worker of `baton run` (the supervised mode) instead of in-process.")
    boolean supervised;

    @Option(names = "--baton", paramLabel = "PATH",
            description = "The baton command that runs the supervisor (default: the ./baton beside this build).")
    Path baton;

    @Override
    public Integer call() throws Exception {
        List<String> supervisor = supervised ? List.of(batonCommand().toString(), "run") : List.of();
        Soak.Options options;
        try {
            options = new Soak.Options(SelfCommand.of("demo-server"), supervisor, upgrades, every, connections,
                    Files.createTempDirectory("baton-soak-"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return Soak.run(options, System.out).passed() ? 0 : 1;
    }

    /** The ./baton script of the checkout this jar was built in (target/ sits two levels below it). */
    private Path batonCommand() throws Exception {
        if (baton != null) {
            return baton;
        }
        Path jar = Path.of(DemoCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path candidate = jar.getParent().getParent().getParent().resolve("baton");
        if (!Files.isExecutable(candidate)) {
            throw new ParameterException(spec.commandLine(), "--supervised needs the baton command, which is not at "
                    + candidate + ": name it with --baton PATH");
        }
        return candidate;
    }
}
