package dev.baton;

import dev.baton.internal.os.Processes;
import dev.baton.internal.service.CommandLine;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a generation learns from the process it runs in: its environment variables, its pid, its
 * parent's pid, when it started and its command line. Read once, at {@link Baton#open}; the
 * state-machine tests pass one of their own.
 *
 * @param variables the environment variables
 * @param pid this process's pid
 * @param parentPid its parent's pid when it started (a successor checks that the predecessor started it)
 * @param startedEpochMillis when it started, to tell it from a later process that reuses the pid
 * @param commandLine its command line, argv[0] first: what the successor runs
 */
record ProcessEnvironment(Map<String, String> variables, long pid, long parentPid, long startedEpochMillis,
        List<String> commandLine) {

    ProcessEnvironment {
        variables = Map.copyOf(variables);
        commandLine = List.copyOf(commandLine);
    }

    /** This process's. */
    static ProcessEnvironment current() throws IOException {
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis());
        return new ProcessEnvironment(System.getenv(), self.pid(), Processes.parentPid(), started,
                CommandLine.ofThisProcess());
    }
}
