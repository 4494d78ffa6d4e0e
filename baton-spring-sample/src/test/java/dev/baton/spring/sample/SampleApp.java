package dev.baton.spring.sample;

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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The sample jar run as a user runs it: {@code java -jar} in a JVM of its own, with a control directory,
 * a pidfile, a config file every generation reads, and a log.
 *
 * <p>Upgrades start processes that are children of the serving generation, not of the test: this
 * records every pid it sees (status, reload results, load reports) as a {@link ProcessHandle}, and
 * {@link #close()} ends them all: a graceful stop, a bounded wait, then SIGKILL for survivors.
 */
final class SampleApp implements AutoCloseable {

    static final Duration READY_WAIT = Duration.ofSeconds(90);
    static final Duration EXIT_WAIT = Duration.ofSeconds(45);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Path log;
    private final Path config;
    private final Path pidFile;
    private final String name;
    private final int port;
    private final BatonControl control;
    private final Process firstGeneration;
    private final Map<Long, ProcessHandle> seen = new LinkedHashMap<>();

    private SampleApp(Path directory, String server, String configText, List<String> extraArguments)
            throws IOException {
        Path controlDirectory = directory.resolve("control");
        Files.createDirectories(controlDirectory);
        Files.setPosixFilePermissions(controlDirectory, PosixFilePermissions.fromString("rwx------"));
        this.log = directory.resolve("sample.log");
        this.config = directory.resolve("sample.properties");
        this.pidFile = directory.resolve("sample.pid");
        this.name = "spring-test-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
        this.port = freePort();
        this.control = BatonControl.at(controlDirectory.resolve(name + ".sock"));
        Files.writeString(config, configText, StandardCharsets.UTF_8);
        // C1 only and the serial collector: a JVM start is what the tests wait for, on 2 cores (successors
        // run the same command line, so they start the same way).
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-jar", jar().toString(),
                "--server.port=" + port, "--server.address=127.0.0.1", "--baton.name=" + name,
                "--baton.pidfile=" + pidFile, "--spring.config.additional-location=optional:file:" + config,
                "--spring.main.banner-mode=off"));
        if (!server.equals("tomcat")) {
            command.add("--spring.profiles.active=" + server); // jetty, or webflux (Reactor Netty)
        }
        command.addAll(extraArguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("BATON_CONTROL_DIR", controlDirectory.toString());
        this.firstGeneration = builder.start();
        record(firstGeneration.pid());
    }

    /** Starts the sample jar on {@code server} (tomcat, jetty or webflux) and waits until it serves. */
    static SampleApp start(Path directory, String server, String configText, String... extraArguments)
            throws IOException {
        SampleApp app = new SampleApp(directory, server, configText, List.of(extraArguments));
        try {
            app.awaitServingOtherThan(-1);
            return app;
        } catch (RuntimeException | Error e) {
            app.close();
            throw e;
        }
    }

    static Path jar() {
        String jar = System.getProperty("sample.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the sample jar (system property sample.jar = " + jar + ") is missing;"
                    + " run these tests with `mvnw verify`, after the jar is packaged");
        }
        return Path.of(jar);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    Process firstGeneration() {
        return firstGeneration;
    }

    /** Replaces the config file, which the next generation reads. */
    void writeConfig(String text) throws IOException {
        Files.writeString(config, text, StandardCharsets.UTF_8);
    }

    /** Waits until a generation other than {@code oldPid} serves; returns its pid. */
    long awaitServingOtherThan(long oldPid) {
        AtomicReference<String> last = new AtomicReference<>("no answer yet");
        try {
            return await().atMost(READY_WAIT).pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO)
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!firstGeneration.isAlive() && seen.size() == 1) {
                            throw new AssertionError("the sample exited with status " + firstGeneration.exitValue()
                                    + " before it served" + logTail());
                        }
                        ServiceStatus status = status();
                        last.set(status.toString());
                        return status.state() == ServiceStatus.State.SERVING && status.pid() != oldPid ? status.pid() : null;
                    }, pid -> pid != null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no generation other than " + oldPid + " served within "
                    + READY_WAIT.toSeconds() + " s; the last status: " + last.get() + logTail(), e);
        }
    }

    long servingPid() {
        return awaitServingOtherThan(-1);
    }

    ServiceStatus status() throws IOException {
        ServiceStatus status = control.status();
        record(status.pid());
        status.processes().forEach(p -> record(p.pid()));
        return status;
    }

    /** Upgrades through the control socket and waits for the result. */
    UpgradeResult reload() throws IOException {
        UpgradeResult result = control.reload(READY_WAIT);
        record(result.servingPid());
        record(result.successorPid());
        return result;
    }

    /** Upgrades with SIGHUP, as {@code kill -HUP}, and returns the pid of the new serving generation. */
    long upgradeWithSighup() throws IOException, InterruptedException {
        long old = servingPid();
        kill("HUP", old);
        return awaitServingOtherThan(old);
    }

    void kill(String signal, long pid) throws IOException, InterruptedException {
        record(pid);
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            kill.destroyForcibly();
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }

    void recordPids(LoadReport report) {
        report.pids().keySet().forEach(this::record);
    }

    synchronized void record(long pid) {
        if (pid > 0 && !seen.containsKey(pid)) {
            ProcessHandle.of(pid).ifPresent(handle -> seen.put(pid, handle));
        }
    }

    /** Waits (bounded) until {@code pid} has exited. */
    void awaitExit(long pid) {
        ProcessHandle handle;
        synchronized (this) {
            handle = seen.get(pid);
        }
        if (handle == null) {
            return;
        }
        try {
            await().atMost(EXIT_WAIT).pollInterval(Duration.ofMillis(100)).until(() -> !isRunning(handle));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("pid " + pid + " did not exit within " + EXIT_WAIT.toSeconds() + " s" + logTail(), e);
        }
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    String logTail() {
        List<String> lines = logText().lines().toList();
        return "\n--- last lines of " + log + " ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())) + "\n---";
    }

    /** Alive for the JDK and not a zombie (an orphaned generation may stay one where nothing reaps). */
    static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            record(control.stop(false));
        } catch (IOException e) {
            // not running or not reachable: ended below
        }
        List<ProcessHandle> all;
        synchronized (this) {
            all = new ArrayList<>(seen.values());
        }
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
        for (ProcessHandle process : all) {
            while (isRunning(process) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (ProcessHandle process : all) {
            if (isRunning(process)) {
                System.err.println("pid " + process.pid() + " of " + name + " did not stop; killing it" + logTail());
                process.destroyForcibly();
            }
        }
        try {
            if (!firstGeneration.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                firstGeneration.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Path kept = Path.of("target", "sample-logs");
            Files.createDirectories(kept);
            Files.copy(log, kept.resolve(name + ".log"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("cannot keep the sample log " + log + ": " + e.getMessage());
        }
    }
}
