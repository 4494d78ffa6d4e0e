package dev.baton.supervisor;

import static org.awaitility.Awaitility.await;

import dev.baton.BatonControl;
import dev.baton.ServiceStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A supervisor running in a real process of its own ({@link TestSupervisorMain}), with its output in a
 * log file and its control directory in the test's directory. {@link #close()} ends it and every
 * worker it started, whatever state they are in.
 */
final class SupervisorProcess implements AutoCloseable {

    static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    static final List<String> JVM_FLAGS =
            List.of("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
    static final String CLASS_PATH = System.getProperty("java.class.path");

    final Process process;
    final Path log;
    final Path controlDirectory;
    final String name;
    private final List<ProcessHandle> seen = new ArrayList<>();

    private SupervisorProcess(Process process, Path log, Path controlDirectory, String name) {
        this.process = process;
        this.log = log;
        this.controlDirectory = controlDirectory;
        this.name = name;
    }

    /** Starts a supervisor called {@code name} with {@code settings} (see {@link TestSupervisorMain}). */
    static SupervisorProcess start(Path workDirectory, String name, List<String> settings, List<String> command)
            throws IOException {
        return start(workDirectory, name, List.of(), settings, command);
    }

    /** Starts a supervisor as above, under {@code launcher} (such as {@code systemd-socket-activate ...}). */
    static SupervisorProcess start(Path workDirectory, String name, List<String> launcher, List<String> settings,
            List<String> command) throws IOException {
        return start(workDirectory, name, launcher, settings, command, java.util.Map.of());
    }

    /** Starts a supervisor as above, with {@code environment} added to its environment. */
    static SupervisorProcess start(Path workDirectory, String name, List<String> launcher, List<String> settings,
            List<String> command, java.util.Map<String, String> environment) throws IOException {
        Path controlDirectory = workDirectory.resolve("control");
        if (!Files.exists(controlDirectory)) {
            Files.createDirectory(controlDirectory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path log = workDirectory.resolve(name + ".log");
        List<String> line = new ArrayList<>(launcher);
        line.add(JAVA);
        line.addAll(JVM_FLAGS);
        line.addAll(List.of("-cp", CLASS_PATH, TestSupervisorMain.class.getName(), "name=" + name));
        line.addAll(settings);
        line.add("--");
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(workDirectory.toFile());
        builder.environment().put("BATON_CONTROL_DIR", controlDirectory.toString());
        builder.environment().putAll(environment);
        return new SupervisorProcess(builder.start(), log, controlDirectory, name);
    }

    /** A Java worker: the demo server on Jetty, using the Baton library. */
    static List<String> demoWorker(int port) {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", CLASS_PATH,
                DemoWorkerMain.class.getName(), Integer.toString(port), "demo-worker"));
        return command;
    }

    BatonControl control() {
        return BatonControl.at(controlDirectory.resolve(name + ".sock"));
    }

    long pid() {
        return process.pid();
    }

    ServiceStatus status() throws IOException {
        return control().status();
    }

    /** Waits until a worker serves; fails with the log if the supervisor exits first. */
    SupervisorProcess awaitServing() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the supervisor exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                return status().state().toString().equals("serving");
            } catch (IOException notYet) {
                return false;
            }
        });
        remember();
        return this;
    }

    /** The serving worker's pid. */
    long servingWorker() throws IOException {
        return status().processes().stream().filter(p -> p.state().toString().equals("serving")).findFirst()
                .orElseThrow(() -> new AssertionError("no worker serves:\n" + log())).pid();
    }

    /** Records the supervisor's children, so {@link #close()} can end them even after it is gone. */
    void remember() {
        process.toHandle().children().forEach(seen::add);
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits for the supervisor to exit by itself; returns its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the supervisor did not exit within " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                remember();
                process.destroy();
                if (!process.waitFor(40, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle worker : seen) {
            worker.destroyForcibly();
        }
    }
}
