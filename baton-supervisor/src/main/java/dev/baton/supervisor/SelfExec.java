package dev.baton.supervisor;

import dev.baton.internal.os.ExecutableSearch;
import dev.baton.internal.os.HeldSignals;
import dev.baton.internal.service.CommandLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the supervisor re-executes when it upgrades itself: its own command line
 * ({@code /proc/self/cmdline}), with the program resolved from argv[0] (as given if it holds a
 * slash, else found on {@code PATH} if it is set, else {@code /proc/self/exe}), so that a newer JDK or Baton
 * installed at the same place is picked up; and the environment it gets: its own, without systemd's
 * socket activation variables (the listeners travel in the state), with {@link SupervisorState#VARIABLE}
 * and {@link HeldSignals#VARIABLE} (the signals it finds held).
 *
 * <p>{@value #PROGRAM_OVERRIDE}, when set, replaces the resolved program. It exists for tests (pointing
 * it at a path that does not exist makes {@code execve} fail, to check that the supervisor then
 * goes on unchanged); do not set it in production.
 */
final class SelfExec {

    /** Test-only: the program to execute instead of the one resolved from argv[0]. */
    static final String PROGRAM_OVERRIDE = "BATON_SUPERVISOR_EXEC";

    private static final Set<String> DROPPED = Set.of(SupervisorState.VARIABLE, HeldSignals.VARIABLE, "LISTEN_FDS", "LISTEN_PID",
            "LISTEN_FDNAMES");

    /** The program to execute and its argv (argv[0] included). */
    record Program(String path, List<String> arguments) {}

    private SelfExec() {}

    static Program program(Map<String, String> environment) throws IOException {
        List<String> arguments = CommandLine.ofThisProcess();
        String override = environment.get(PROGRAM_OVERRIDE);
        if (override != null && !override.isEmpty()) {
            return new Program(override, arguments);
        }
        String searchPath = environment.get("PATH");
        if (!arguments.getFirst().contains("/") && (searchPath == null || searchPath.isEmpty())) {
            // No PATH of its own: glibc's default (/bin:/usr/bin) may hold another JDK's java than the one running.
            return new Program("/proc/self/exe", arguments);
        }
        return ExecutableSearch.find(arguments.getFirst(), searchPath)
                .map(path -> new Program(path.toString(), arguments))
                .orElseGet(() -> new Program("/proc/self/exe", arguments));
    }

    /** {@code NAME=value} entries for the new image: {@code environment}, adjusted, and the state. */
    static List<String> environment(Map<String, String> environment, String state) {
        List<String> entries = new ArrayList<>();
        environment.forEach((key, value) -> {
            if (!DROPPED.contains(key)) {
                entries.add(key + "=" + value);
            }
        });
        entries.add(SupervisorState.VARIABLE + "=" + state);
        entries.add(HeldSignals.VARIABLE + "=" + System.currentTimeMillis());
        return entries;
    }
}
