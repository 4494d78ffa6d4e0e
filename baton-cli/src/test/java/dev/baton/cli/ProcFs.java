package dev.baton.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What {@code /proc} says about a process, and signals sent the way a user sends them: with {@code kill}. */
final class ProcFs {

    private ProcFs() {}

    /**
     * Whether {@code handle}'s process still runs: alive for the JDK, and not a zombie (an orphaned
     * generation that exited may stay a zombie where nothing reaps orphans, and has released everything).
     */
    static boolean isRunning(ProcessHandle handle) {
        return handle.isAlive() && state(handle.pid()).map(s -> s != 'Z' && s != 'X').orElse(false);
    }

    /** The state letter in {@code /proc/<pid>/stat} (R, S, D, Z, ...), or empty if there is no such process. */
    static Optional<Character> state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.length()
                    ? Optional.empty() : Optional.of(stat.charAt(afterName + 2));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The number of open descriptors of {@code pid}. */
    static long descriptorCount(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }

    /**
     * The number of open descriptors of {@code pid} once it has settled: the same count for half a second
     * (a connection or control request being closed comes and goes), waiting at most 30 seconds.
     */
    static long settledDescriptorCount(long pid) throws IOException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            long count = descriptorCount(pid);
            try {
                org.awaitility.Awaitility.await()
                        .during(java.time.Duration.ofMillis(500))
                        .atMost(java.time.Duration.ofSeconds(2))
                        .pollInterval(java.time.Duration.ofMillis(50))
                        .until(() -> descriptorCount(pid) == count);
                return count;
            } catch (org.awaitility.core.ConditionTimeoutException unsettled) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the descriptors of pid " + pid + " did not settle within 30 s", unsettled);
                }
            }
        }
    }

    /** The TCP ports {@code pid} listens on (IPv4), found through its socket descriptors. */
    static java.util.Set<Integer> listeningPorts(long pid) throws IOException {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // gone between list and read
                }
            }
        }
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", "tcp"),
                StandardCharsets.US_ASCII)) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length > 9 && fields[3].equals("0A") && inodes.contains(fields[9])) {
                ports.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16));
            }
        }
        return ports;
    }

    /** Each open descriptor of {@code pid} with what it points at, for failure messages. */
    static String describeDescriptors(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.map(fd -> {
                try {
                    return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return fd.getFileName() + " -> ?";
                }
            }).sorted().reduce("", (a, b) -> a + "\n  " + b);
        } catch (IOException e) {
            return "(cannot list the descriptors of pid " + pid + ": " + e.getMessage() + ")";
        }
    }

    /** Sends {@code signal} (such as {@code HUP}) to {@code pid} with the {@code kill} command. */
    static void kill(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder(List.of("kill", "-" + signal, Long.toString(pid)))
                .redirectErrorStream(true).start();
        if (!kill.waitFor(30, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new IOException("kill -" + signal + " " + pid + " did not finish within 30 s");
        }
        if (kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " exited with status " + kill.exitValue() + ": "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    /**
     * Whether the server side of the TCP connection from {@code clientPort} to {@code serverPort} on
     * 127.0.0.1 has no unread bytes: the server process has read what the client sent (the request).
     */
    static boolean serverHasRead(int serverPort, int clientPort) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"), StandardCharsets.US_ASCII)) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 5 || !fields[1].contains(":")) {
                continue;
            }
            int local = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16);
            int remote = Integer.parseInt(fields[2].substring(fields[2].indexOf(':') + 1), 16);
            if (local == serverPort && remote == clientPort) {
                long unread = Long.parseLong(fields[4].substring(fields[4].indexOf(':') + 1), 16);
                return unread == 0;
            }
        }
        return false;
    }
}
