package dev.baton.cli;

import static org.awaitility.Awaitility.await;

import dev.baton.BatonControl;
import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import dev.baton.load.LoadReport;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The demo server run as a user runs it: {@code baton demo-server} in a JVM of its own, from the test
 * class path, with a control directory, a config file, a pidfile and a log of its own.
 *
 * <p>Upgrades start new processes that are children of the serving generation, not of the test; so this
 * records every pid it ever sees (from status, reload results, load reports), and {@link #close()} ends
 * them all: {@code stop} through the control socket, a bounded wait for every one to exit, then SIGKILL
 * for the survivors. A pid is kept as the {@link ProcessHandle} taken while it ran, so a pid reused
 * later by another process is never signalled.
 */
final class DemoServerProcess implements AutoCloseable {

    static final Duration READY_WAIT = Duration.ofSeconds(60);
    /**
     * The path the loads ask for: each request is in flight for 2 ms (held when a drain begins), and the closed
     * loops leave a successor's start (at nice 10) some CPU on 2 cores, which a flat-out loop on {@code /} does not.
     */
    static final String PACED = "/sleep?ms=2";
    static final Duration RELOAD_WAIT = Duration.ofSeconds(90);
    static final Duration EXIT_WAIT = Duration.ofSeconds(45);
    /** For {@link #launch}: ask the server for the port the test reaches it on. */
    static final int SAME_PORT = -1;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Path directory;
    private final Path controlDirectory;
    private final Path log;
    private final Path config;
    private final Path pidFile;
    private final String name;
    private final int port;
    private final BatonControl control;
    private final Process firstGeneration;
    private final Map<Long, ProcessHandle> seen = new LinkedHashMap<>();

    private DemoServerProcess(Path directory, int port, String configText, List<String> extraArguments)
            throws IOException {
        this(directory, port, port, configText, extraArguments, List.of(), Map.of());
    }

    private DemoServerProcess(Path directory, int port, int portArgument, String configText,
            List<String> extraArguments, List<String> launcher, Map<String, String> environment) throws IOException {
        this.directory = directory;
        this.controlDirectory = controlDirectory(directory);
        this.log = directory.resolve("demo-server.log");
        this.config = directory.resolve("demo.properties");
        this.pidFile = directory.resolve("demo-server.pid");
        this.name = "cli-test-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
        this.port = port;
        this.control = BatonControl.at(controlDirectory.resolve(name + ".sock"));
        Files.writeString(config, configText, StandardCharsets.UTF_8);
        List<String> arguments = new ArrayList<>(List.of("demo-server", "--port", Integer.toString(portArgument),
                "--name", name, "--pidfile", pidFile.toString(), "--config", config.toString()));
        if (extraArguments.stream().noneMatch(argument -> argument.startsWith("--warm-up"))) {
            arguments.add("--no-warm-up"); // DemoWarmUpTest tests the warm-up; here it only costs time
        }
        arguments.addAll(extraArguments);
        List<String> command = new ArrayList<>(launcher);
        command.addAll(CliRun.java(true, arguments.toArray(String[]::new)));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("BATON_CONTROL_DIR", controlDirectory.toString());
        // HotSpot's suspend signal moved off SIGUSR2, so that SIGUSR2 reloads (upgradeByTurns sends it)
        builder.environment().put("_JAVA_SR_SIGNUM", "40");
        builder.environment().putAll(environment);
        this.firstGeneration = builder.start();
        record(firstGeneration.pid());
    }

    /**
     * Starts the demo server in {@code directory} with {@code configText} in its config file and
     * {@code extraArguments} (such as {@code --ready-timeout 3s}), and waits until it serves.
     */
    static DemoServerProcess start(Path directory, String configText, String... extraArguments)
            throws IOException {
        return startOnPort(directory, freePort(), configText, extraArguments);
    }

    /** Like {@link #start}, on {@code port}: 0 lets the system choose (then {@link #port()} is 0). */
    static DemoServerProcess startOnPort(Path directory, int port, String configText, String... extraArguments)
            throws IOException {
        return serving(new DemoServerProcess(directory, port, configText, List.of(extraArguments)));
    }

    /**
     * Starts the demo server as {@link #start} does, with {@code environment} added to its environment
     * (such as {@code NOTIFY_SOCKET}), and waits until it serves.
     */
    static DemoServerProcess startWithEnvironment(Path directory, Map<String, String> environment, String configText,
            String... extraArguments) throws IOException {
        return serving(launch(directory, freePort(), SAME_PORT, List.of(), environment, configText, extraArguments));
    }

    /** Waits until {@code server} serves and returns it; ends it if it does not. */
    private static DemoServerProcess serving(DemoServerProcess server) {
        try {
            server.awaitServing();
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /**
     * Starts the demo server without waiting for it: its java command run under {@code launcher} (such as
     * {@code systemd-socket-activate -l ...}, which execs it, so the first generation's pid is the
     * launcher's), with {@code environment} added. It is asked for {@code --port portArgument} ({@code -1}:
     * the same as {@code port}); {@code port} is where the test reaches it. Call {@link #awaitServing()}
     * once it can start.
     */
    static DemoServerProcess launch(Path directory, int port, int portArgument, List<String> launcher,
            Map<String, String> environment, String configText, String... extraArguments) throws IOException {
        return new DemoServerProcess(directory, port, portArgument == SAME_PORT ? port : portArgument, configText,
                List.of(extraArguments), List.copyOf(launcher), Map.copyOf(environment));
    }

    /** A fresh control directory (mode 0700) under {@code directory}, so no test meets another's services. */
    static Path controlDirectory(Path directory) throws IOException {
        Path control = directory.resolve("control");
        if (!Files.isDirectory(control)) {
            Files.createDirectory(control, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        return control;
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // ---- what it is ---------------------------------------------------------------------------------

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    Path controlDirectory() {
        return controlDirectory;
    }

    Path controlSocket() {
        return control.socket();
    }

    Path config() {
        return config;
    }

    Path pidFile() {
        return pidFile;
    }

    Path log() {
        return log;
    }

    Path directory() {
        return directory;
    }

    BatonControl control() {
        return control;
    }

    /** The process the test started: generation 1. */
    Process firstGeneration() {
        return firstGeneration;
    }

    /** Replaces the config file, read by the next generation that starts. */
    void writeConfig(String text) throws IOException {
        Files.writeString(config, text, StandardCharsets.UTF_8);
    }

    // ---- waiting for it ------------------------------------------------------------------------------

    /** Waits until a generation serves and answers on the control socket; returns its pid. */
    long awaitServing() {
        return awaitServing(pid -> true);
    }

    /** Waits until a generation other than {@code oldPid} serves; returns its pid. */
    long awaitServingOtherThan(long oldPid) {
        return awaitServing(pid -> pid != oldPid);
    }

    private long awaitServing(java.util.function.LongPredicate wanted) {
        AtomicReference<String> last = new AtomicReference<>("no answer yet");
        try {
            return await().atMost(READY_WAIT).pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO)
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!firstGeneration.isAlive() && seen.size() == 1) {
                            throw new AssertionError("the demo server exited with status "
                                    + firstGeneration.exitValue() + " before it served" + logTail());
                        }
                        ServiceStatus status = status();
                        last.set(status.toString());
                        return status.state().toString().equals("serving") && wanted.test(status.pid()) ? status.pid() : null;
                    }, pid -> pid != null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the demo server did not serve within " + READY_WAIT.toSeconds()
                    + " s; its last status: " + last.get() + logTail(), e);
        }
    }

    /** The service's status; records every pid it names. */
    ServiceStatus status() throws IOException {
        ServiceStatus status = control.status();
        record(status.pid());
        status.processes().forEach(p -> record(p.pid()));
        return status;
    }

    /** The pid of the generation that serves now (waiting for one that serves, if it upgrades). */
    long servingPid() {
        return awaitServing();
    }

    /** Upgrades through the control socket and waits for the result; records the pids it names. */
    UpgradeResult reload() throws IOException {
        UpgradeResult result = control.reload(RELOAD_WAIT);
        record(result.servingPid());
        record(result.successorPid());
        return result;
    }

    /** Records the pids that answered a load run. */
    void recordPids(LoadReport report) {
        report.pids().keySet().forEach(this::record);
    }

    /** Records {@code pid} as one of this service's processes, if it still runs. */
    synchronized void record(long pid) {
        if (pid > 0 && !seen.containsKey(pid)) {
            ProcessHandle.of(pid).ifPresent(handle -> seen.put(pid, handle));
        }
    }

    /** Every process of this service seen so far, in the order first seen. */
    synchronized List<ProcessHandle> seen() {
        return List.copyOf(seen.values());
    }

    /**
     * Upgrades the serving generation with the trigger {@code upgrade} picks in turn (a control reload,
     * SIGHUP, SIGUSR2), asserts a reload succeeded, and returns the new generation's pid.
     */
    long upgradeByTurns(int upgrade) throws IOException, InterruptedException {
        long oldPid = servingPid();
        return switch (upgrade % 3) {
            case 1 -> {
                UpgradeResult result = reload();
                org.assertj.core.api.Assertions.assertThat(result.succeeded())
                        .as("upgrade %d: %s%s", upgrade, result, logTail()).isTrue();
                yield result.successorPid();
            }
            case 2 -> {
                signal("HUP", oldPid);
                yield awaitServingOtherThan(oldPid);
            }
            default -> {
                signal("USR2", oldPid);
                yield awaitServingOtherThan(oldPid);
            }
        };
    }

    /** Sends {@code signal} to {@code pid}, as {@code kill -signal pid}. */
    void signal(String signal, long pid) throws IOException, InterruptedException {
        record(pid);
        ProcFs.kill(signal, pid);
    }

    /** Waits (bounded) until the process {@code pid} has exited; fails with the log otherwise. */
    void awaitExit(long pid) {
        Optional<ProcessHandle> handle;
        synchronized (this) {
            handle = Optional.ofNullable(seen.get(pid));
        }
        if (handle.isEmpty()) {
            handle = ProcessHandle.of(pid);
        }
        handle.ifPresent(h -> {
            try {
                await().atMost(EXIT_WAIT).pollInterval(Duration.ofMillis(100)).until(() -> !ProcFs.isRunning(h));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("pid " + pid + " did not exit within " + EXIT_WAIT.toSeconds() + " s"
                        + logTail(), e);
            }
        });
    }

    /**
     * Waits until the server has read everything sent on {@code connection}: a request written on it is
     * then in the server's hands, not in a socket buffer.
     */
    void awaitRequestRead(RawHttp connection) {
        try {
            await().atMost(READY_WAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> ProcFs.serverHasRead(port, connection.localPort()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the server did not read the request on the connection from port "
                    + connection.localPort() + logTail(), e);
        }
    }

    /** Waits until a {@code GET path} on a new connection is answered by {@code pid}; returns that answer. */
    RawHttp.Answer awaitAnswerFrom(long pid, String path) {
        AtomicReference<String> last = new AtomicReference<>("none");
        try {
            return await().atMost(READY_WAIT).pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO)
                    .until(() -> {
                        RawHttp.Answer answer = RawHttp.get(port, path);
                        last.set(answer.toString());
                        return answer;
                    }, answer -> answer.status() == 200 && answer.pid() == pid);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no answer from pid " + pid + " within " + READY_WAIT.toSeconds()
                    + " s; the last answer: " + last.get() + logTail(), e);
        }
    }

    /** The server log's last lines, for a failure message. */
    String logTail() {
        return tail(log, 60);
    }

    /** The server log's full text. */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "\n--- last lines of " + file + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n---";
        } catch (IOException e) {
            return "\n(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    // ---- ending it -----------------------------------------------------------------------------------

    /**
     * Ends every process of this service: a graceful {@code stop}, a bounded wait for each process seen
     * (and any other running with this service's unique name) to exit, then SIGKILL for the survivors.
     */
    @Override
    public void close() {
        try {
            record(control.stop(false));
        } catch (IOException e) {
            // not running, or not reachable: the processes are ended below
        }
        List<ProcessHandle> all = new ArrayList<>(seen());
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(name)).orElse(false))
                .filter(p -> all.stream().noneMatch(known -> known.pid() == p.pid()))
                .forEach(all::add);
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
        for (ProcessHandle process : all) {
            while (ProcFs.isRunning(process) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (ProcessHandle process : all) {
            if (ProcFs.isRunning(process)) {
                System.err.println("pid " + process.pid() + " of " + name + " did not stop within "
                        + EXIT_WAIT.toSeconds() + " s; killing it" + logTail());
                process.destroyForcibly();
            }
        }
        try {
            if (!firstGeneration.waitFor(EXIT_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                firstGeneration.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keepLog();
    }

    /** Copies the server log to {@code target/server-logs/}, which outlives the test's temporary directory. */
    private void keepLog() {
        try {
            Path kept = Path.of("target", "server-logs");
            Files.createDirectories(kept);
            Files.copy(log, kept.resolve(name + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("cannot keep the server log " + log + ": " + e.getMessage());
        }
    }
}
