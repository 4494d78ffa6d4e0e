package dev.baton.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The check that comes before the supervisor re-executes itself: the program it would execute is run
 * once, as a child, with the state it would carry and {@value #VARIABLE}{@code =1}; that child (this
 * class's {@link #answerIfAsked}, at the start of {@link Supervisor#open}) proves it starts (the JVM,
 * the jar, the command line, the native calls all work), parses the carried state, prints
 * {@value #OK} and exits 0. Only then does the supervisor call {@code execve}: a truncated jar or a
 * JDK that no longer starts is refused while nothing has changed.
 */
final class SelfCheck {

    /** Set to {@code 1} in the check's environment. */
    static final String VARIABLE = "BATON_SUPERVISOR_CHECK";
    /** The line a program that passes its check prints first. */
    static final String OK = "baton-supervisor-check: ok";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_OUTPUT = 64 * 1024;

    private SelfCheck() {}

    /**
     * Runs {@code program} in check mode with {@code environment} ({@code NAME=value}, the state
     * included) and returns if it passed.
     *
     * @throws IOException saying what the program printed and how it ended, if it did not pass
     */
    static void run(SelfExec.Program program, List<String> environment) throws IOException {
        List<String> command = new ArrayList<>(program.arguments());
        command.set(0, executable(program.path()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> childEnvironment = builder.environment();
        childEnvironment.clear();
        for (String entry : environment) {
            int equals = entry.indexOf('=');
            childEnvironment.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
        childEnvironment.put(VARIABLE, "1");
        long began = System.nanoTime();
        Process check;
        try {
            check = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run the new program " + program.path() + " to check it: " + e.getMessage(), e);
        }
        String output;
        int status;
        try (InputStream in = check.getInputStream()) {
            output = new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8); // ends when it exits
            if (!check.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                check.destroyForcibly();
                throw new IOException("the new program " + program.path() + " did not finish its check within "
                        + TIMEOUT.toSeconds() + " s");
            }
            status = check.exitValue();
        } catch (InterruptedException e) {
            check.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking the new program", e);
        }
        if (status != 0 || !output.lines().anyMatch(line -> line.startsWith(OK))) {
            String said = output.strip().lines().limit(5).map(line -> line.length() > 200 ? line.substring(0, 200)
                    + "..." : line).reduce((a, b) -> a + " | " + b).orElse("nothing");
            throw new IOException("the new program " + program.path() + " failed its check (exit status " + status
                    + ", " + Duration.ofNanos(System.nanoTime() - began).toMillis() + " ms; it said: " + said
                    + "): not re-executing it; fix or reinstall it, then run baton upgrade-supervisor again");
        }
    }

    /** /proc/self/exe names the check's own process in the child: the file it points to here instead. */
    private static String executable(String path) throws IOException {
        return path.equals("/proc/self/exe") ? Files.readSymbolicLink(Path.of(path)).toString() : path;
    }

    /**
     * In a program run by {@link #run}: parses the carried state (written for the parent's pid),
     * prints {@value #OK} and exits 0; or prints why not and exits 1. Returns at once otherwise.
     */
    static void answerIfAsked(Map<String, String> environment) {
        if (!"1".equals(environment.get(VARIABLE))) {
            return;
        }
        String value = environment.get(SupervisorState.VARIABLE);
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        try {
            if (value == null) {
                throw new IllegalArgumentException(SupervisorState.VARIABLE + " is not set");
            }
            SupervisorState state = SupervisorState.parse(value, parent);
            System.out.println(OK + " (can take over " + state.listeners().size() + " listeners and "
                    + state.workers().size() + " workers of pid " + parent + ")");
            System.out.flush();
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.out.println("baton-supervisor-check: failed: " + e.getMessage());
            System.out.flush();
            System.exit(1);
        }
    }
}
