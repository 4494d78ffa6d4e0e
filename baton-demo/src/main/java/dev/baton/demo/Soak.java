package dev.baton.demo;

import dev.baton.BatonControl;
import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import dev.baton.load.ConnectionMode;
import dev.baton.load.LoadOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The soak benchmark: many upgrades in a row under a light load that never retries, with the serving
 * processes' descriptors, threads and resident memory printed every so many upgrades. What it shows is
 * whether anything grows with upgrades (a leaked descriptor, a thread, memory) and whether any request
 * fails over a long run; it is a benchmark, run by hand ({@code ./baton soak}), not a test.
 *
 * <p>In-process mode the serving process changes at every upgrade, so its figures are the newest
 * generation's; supervised, the supervisor's pid stays and its figures are the ones that must stay flat.
 */
public final class Soak {

    private static final Duration READY_WAIT = Duration.ofSeconds(60);
    private static final Duration RELOAD_WAIT = Duration.ofSeconds(90);
    /**
     * What the light load asks for: a request that sleeps 2 ms, so four connections make about 1,500 req/s
     * instead of saturating both cores of a small machine, where every successor (nice 10) would then wait
     * seconds for a share of the CPU and the soak would measure the CPU starvation instead of the upgrades.
     */
    private static final String PACED_PATH = "/sleep?ms=2";
    private static final Duration STOP_WAIT = Duration.ofSeconds(45);

    /**
     * How a soak runs.
     *
     * @param serverCommand the command that starts the demo server, up to and including {@code demo-server}
     * @param supervisorCommand the command that starts a supervisor, up to and including {@code run}; empty
     *     for the in-process mode
     * @param upgrades how many upgrades in a row
     * @param every print the figures after every this many upgrades
     * @param connections the light load's keep-alive connections
     * @param workDirectory where the server's log and config go
     */
    public record Options(List<String> serverCommand, List<String> supervisorCommand, int upgrades, int every,
            int connections, Path workDirectory) {

        public Options {
            serverCommand = List.copyOf(serverCommand);
            supervisorCommand = List.copyOf(supervisorCommand);
            Objects.requireNonNull(workDirectory, "workDirectory");
            if (upgrades < 1 || upgrades > 100_000) {
                throw new IllegalArgumentException("upgrades must be 1 to 100000, not " + upgrades);
            }
            if (every < 1) {
                throw new IllegalArgumentException("every must be at least 1, not " + every);
            }
            if (connections < 1 || connections > 1000) {
                throw new IllegalArgumentException("connections must be 1 to 1000, not " + connections);
            }
        }

        boolean supervised() {
            return !supervisorCommand.isEmpty();
        }
    }

    /** What a soak measured: failed requests and failed upgrades, both zero for a pass. */
    public record Outcome(long failedRequests, int failedUpgrades) {
        public boolean passed() {
            return failedRequests == 0 && failedUpgrades == 0;
        }
    }

    private final Options options;
    private final PrintStream out;
    private final int port;
    private final String name;
    private final BatonControl control;
    private final Path log;

    private Soak(Options options, PrintStream out) throws IOException {
        this.options = options;
        this.out = out;
        this.port = freePort();
        this.name = "soak-" + port;
        this.control = BatonControl.forService(name);
        this.log = options.workDirectory().resolve("server.log");
    }

    /** Runs the soak; prints the figures on {@code out}. */
    public static Outcome run(Options options, PrintStream out) throws IOException, InterruptedException {
        return new Soak(options, out).run();
    }

    private Outcome run() throws IOException, InterruptedException {
        Files.createDirectories(options.workDirectory());
        Process server = start();
        try (StopOnExit _ = StopOnExit.register("the soak's service (" + name + ")", () -> stop(server))) {
            awaitServing(server);
            out.printf("Soak: %d upgrades (%s), %d keep-alive connections never retrying, GET %s; the log: %s%n",
                    options.upgrades(), options.supervised() ? "supervised" : "in-process", options.connections(),
                    PACED_PATH, log);
            out.printf("%-9s %-8s %-9s %-10s %s%n", "upgrades", "failed", "pid", "role", "fds threads rss_kib  | load");
            return drive();
        } finally {
            stop(server);
        }
    }

    private Process start() throws IOException {
        Path config = options.workDirectory().resolve("demo.properties");
        Files.writeString(config, "greeting=" + DemoConfig.DEFAULT_GREETING + "\n", StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        List<String> demoServer = new ArrayList<>(options.serverCommand());
        demoServer.addAll(List.of("--port", Integer.toString(port), "--name", name, "--config", config.toString()));
        if (options.supervised()) {
            command.addAll(options.supervisorCommand());
            command.addAll(List.of("--name", name, "--listen", "http=127.0.0.1:" + port, "--ready", "notify", "--"));
        }
        command.addAll(demoServer);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    private void awaitServing(Process server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (true) {
            if (!server.isAlive()) {
                throw new IOException("the server exited with status " + server.exitValue()
                        + " before it was ready; its log: " + log);
            }
            try {
                if (control.status().state() == ServiceStatus.State.SERVING) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening on its control socket yet
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the server was not ready within " + READY_WAIT.toSeconds() + "s; its log: " + log);
            }
            server.waitFor(100, TimeUnit.MILLISECONDS);
        }
    }

    private Outcome drive() throws IOException, InterruptedException {
        int failedUpgrades = 0;
        LoadOptions load = LoadOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .withConnections(options.connections())
                .withPath(PACED_PATH)
                .withDuration(RELOAD_WAIT.multipliedBy(options.upgrades() + 1L))
                .withMode(ConnectionMode.KEEP_ALIVE);
        try (HttpJobLoad running = new HttpJobLoad(load)) {
            printFigures(0, 0, running);
            for (int i = 1; i <= options.upgrades(); i++) {
                UpgradeResult result = control.reload(RELOAD_WAIT);
                if (!result.succeeded()) {
                    failedUpgrades++;
                    out.println("upgrade " + i + " failed: " + result.message());
                }
                if (i % options.every() == 0 || i == options.upgrades()) {
                    printFigures(i, failedUpgrades, running);
                }
            }
            JobReport report = running.stop();
            out.println();
            out.print(report.toTable());
            return new Outcome(report.failures(), failedUpgrades);
        }
    }

    /** One line per serving process: in-process the newest generation, supervised the supervisor and its worker. */
    private void printFigures(int upgrades, int failedUpgrades, HttpJobLoad load) throws IOException {
        ServiceStatus status = control.status();
        List<Long> pids = new ArrayList<>(List.of(status.pid()));
        if (options.supervised()) {
            status.processes().stream().filter(p -> p.state() == ServiceStatus.State.SERVING && p.pid() != status.pid())
                    .map(ServiceStatus.ProcessStatus::pid).forEach(pids::add);
        }
        String loadLine = load.progressLine();
        for (long pid : pids) {
            String role = pid == status.pid() ? (options.supervised() ? "supervisor" : "serving") : "worker";
            out.printf("%-9d %-8d %-9d %-10s %s  | %s%n", upgrades, failedUpgrades, pid, role, ProcessFigures.of(pid),
                    loadLine);
        }
        out.flush();
    }

    private void stop(Process server) throws InterruptedException {
        try {
            control.stop(false);
        } catch (IOException e) {
            out.println("Could not stop the server through its control socket (" + e.getMessage() + "); terminating it");
            server.destroy();
        }
        if (!server.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A process's open descriptors, threads and resident set, read from /proc. */
    record ProcessFigures(long descriptors, long threads, long residentKib) {

        static ProcessFigures of(long pid) {
            Path proc = Path.of("/proc", Long.toString(pid));
            try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                long descriptors = fds.count();
                List<String> status = Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8);
                return new ProcessFigures(descriptors, field(status, "Threads:"), field(status, "VmRSS:"));
            } catch (NoSuchFileException gone) {
                return new ProcessFigures(-1, -1, -1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + proc, e);
            }
        }

        private static long field(List<String> status, String key) {
            return status.stream().filter(line -> line.startsWith(key))
                    .map(line -> line.substring(key.length()).trim().split("\\s+")[0])
                    .mapToLong(Long::parseLong).findFirst().orElse(-1);
        }

        @Override
        public String toString() {
            return String.format("%-3d %-7d %-8d", descriptors, threads, residentKib);
        }
    }
}
