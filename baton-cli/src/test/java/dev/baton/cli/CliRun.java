package dev.baton.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code baton} command run as a user runs it: a JVM of its own, from the test class path, with the
 * control directory given; what it printed and how it exited.
 *
 * @param exitCode its exit status
 * @param stdout what it printed on standard output
 * @param stderr what it printed on standard error
 */
record CliRun(int exitCode, String stdout, String stderr) {

    private static final AtomicInteger RUNS = new AtomicInteger();
    static final String MAIN = BatonCli.class.getName();
    /** The demo's commands run from the demo's own main, as {@code ./baton} runs them from the demo's jar. */
    static final String DEMO_MAIN = "dev.baton.demo.cli.DemoCli";
    static final List<String> DEMO_COMMANDS = List.of("demo", "demo-server", "bench");
    static final List<String> BATON_JVM_FLAGS =
            List.of("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    /**
     * The java command of this JVM: its java, the flags Baton needs if {@code batonFlags}, its class path,
     * and the main that {@code ./baton} picks for the first argument (the demo's for its commands).
     */
    static List<String> java(boolean batonFlags, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (batonFlags) {
            command.addAll(BATON_JVM_FLAGS);
        }
        command.add("-XX:TieredStopAtLevel=1"); // C1 only: tests start hundreds of short-lived JVMs on 2 cores
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(arguments.length > 0 && DEMO_COMMANDS.contains(arguments[0]) ? DEMO_MAIN : MAIN);
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * A module path that holds the {@code baton} command as named modules: this JVM's copies of baton-core,
     * the supervisor, the CLI and picocli (each a module: a jar or a classes folder with a module-info).
     */
    static String modulePath() {
        return java.util.stream.Stream.of(dev.baton.Baton.class, dev.baton.supervisor.Supervisor.class,
                        BatonCli.class, picocli.CommandLine.class)
                .map(type -> {
                    try {
                        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    /** Runs {@code baton arguments} with the JVM flags Baton needs. */
    static CliRun baton(Path directory, Path controlDirectory, String... arguments)
            throws IOException, InterruptedException {
        return run(directory, controlDirectory, java(true, arguments));
    }

    /**
     * Runs {@code command} with {@code BATON_CONTROL_DIR=controlDirectory}, its output in files under
     * {@code directory}; ends it forcibly if it has not exited within a minute.
     */
    static CliRun run(Path directory, Path controlDirectory, List<String> command)
            throws IOException, InterruptedException {
        int number = RUNS.incrementAndGet();
        Path out = directory.resolve("cli-" + number + ".out");
        Path err = directory.resolve("cli-" + number + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("BATON_CONTROL_DIR", controlDirectory.toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("'" + String.join(" ", command.subList(command.indexOf("-cp") + 2, command.size()))
                        + "' did not exit within 60 s; its output so far:\n" + Files.readString(out)
                        + Files.readString(err));
            }
            return new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(Duration.ofSeconds(30));
            }
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }
}
