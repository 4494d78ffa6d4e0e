package dev.baton.demo.cli;

import static org.awaitility.Awaitility.await;

import dev.baton.BatonControl;
import dev.baton.ServiceStatus;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code baton demo-server} in a JVM of its own, as a user runs it, with a control directory and a log
 * of its own under a test's directory. Upgrades start processes that are not the test's children, so it
 * keeps every pid it sees, and {@link #close()} stops the service, waits for each, and kills survivors.
 */
public final class DemoServerRun implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(120); // a bound on a loaded 2-core machine, not a target

    public final int port;
    public final Path log;
    private final BatonControl control;
    private final Process first;
    private final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();
    /** Makes each server's name unique in this JVM: test classes run two at a time. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private DemoServerRun(Path directory, List<String> launch, Map<String, String> environment, String... arguments)
            throws IOException {
        Path controlDirectory = Files.createDirectory(directory.resolve("control"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String name = "demo-test-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
        this.port = freePort();
        this.log = directory.resolve("demo-server.log");
        this.control = BatonControl.at(controlDirectory.resolve(name + ".sock"));
        List<String> all = new ArrayList<>(List.of("demo-server", "--port", Integer.toString(port), "--name", name,
                "--drain-timeout", "10s"));
        all.addAll(List.of(arguments));
        List<String> command = new ArrayList<>(launch);
        command.addAll(all);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("BATON_CONTROL_DIR", controlDirectory.toString());
        builder.environment().putAll(environment);
        this.first = builder.start();
        record(first.pid());
    }

    /** Starts {@code demo-server} with {@code arguments} (such as {@code --server netty}) and waits until it serves. */
    public static DemoServerRun start(Path directory, String... arguments) throws IOException {
        return startWithEnvironment(directory, Map.of(), arguments);
    }

    /** Like {@link #start}, with {@code environment} added to the server's environment. */
    public static DemoServerRun startWithEnvironment(Path directory, Map<String, String> environment,
            String... arguments) throws IOException {
        return awaitServing(new DemoServerRun(directory, SelfCommand.of(), environment, arguments));
    }

    /**
     * Like {@link #start}, from the packaged jar ({@code java -jar jar}) as {@code ./baton} runs it, rather than
     * from the test's class path of directories.
     */
    public static DemoServerRun startFromJar(Path directory, Path jar, String... arguments) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        return awaitServing(new DemoServerRun(directory, List.of(java, "-jar", jar.toString()), Map.of(), arguments));
    }

    private static DemoServerRun awaitServing(DemoServerRun server) {
        try {
            server.awaitServingOtherThan(0);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** The pid of the generation that serves now. */
    public long servingPid() {
        return awaitServingOtherThan(0);
    }

    /** Sends SIGHUP to the serving generation and waits until its successor serves; returns the successor's pid. */
    public long upgradeBySighup() throws IOException, InterruptedException {
        long old = servingPid();
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(old)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -HUP " + old + " exited with " + kill.exitValue());
        }
        return awaitServingOtherThan(old);
    }

    private long awaitServingOtherThan(long old) {
        return await("a generation other than pid " + old + " serving; log " + log)
                .atMost(WAIT).pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO)
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!first.isAlive() && seen.size() == 1) {
                        throw new AssertionError("the demo server exited with " + first.exitValue() + "\n" + logText());
                    }
                    ServiceStatus status = control.status();
                    record(status.pid());
                    return status.state() == ServiceStatus.State.SERVING && status.pid() != old ? status.pid() : 0L;
                }, pid -> pid != 0L);
    }

    private void record(long pid) {
        ProcessHandle.of(pid).ifPresent(handle -> seen.putIfAbsent(pid, handle));
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops the service, waits (bounded) for every process seen, and kills those left. */
    @Override
    public void close() {
        try {
            record(control.stop(false));
        } catch (IOException e) {
            // not reachable: the processes are ended below
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (ProcessHandle process : seen.values()) {
            while (runs(process) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50); // polling: onExit() never completes for a zombie no init reaps
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (runs(process)) {
                System.err.println("pid " + process.pid() + " did not exit; killing it\n" + logText());
                process.destroyForcibly();
            }
        }
        first.destroyForcibly();
    }

    /** Whether {@code process} runs: alive and not a zombie. */
    static boolean runs(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
