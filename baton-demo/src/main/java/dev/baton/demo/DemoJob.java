package dev.baton.demo;

import dev.baton.BatonControl;
import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The main job, {@code baton demo}: starts the demo server, drives a closed-loop load that never
 * retries, upgrades the server several times meanwhile, and reports every request and every upgrade.
 */
public final class DemoJob {

    private static final Duration READY_WAIT = Duration.ofSeconds(60);
    private static final Duration RELOAD_WAIT = Duration.ofSeconds(75);
    private static final Duration STOP_WAIT = Duration.ofSeconds(40);
    private static final Duration AFTER_LAST_UPGRADE = Duration.ofSeconds(1);
    private static final Duration LAST_ANSWER_WAIT = Duration.ofSeconds(15);

    /**
     * What a run measured.
     *
     * @param load the load's report
     * @param upgrades each upgrade, in order
     * @param serverLog where the server's output went
     * @param readyAt when each upgrade's successor was ready, from the start of the load, in order
     */
    public record Outcome(JobReport load, List<UpgradeTiming> upgrades, Path serverLog, List<Duration> readyAt) {

        public Outcome {
            upgrades = List.copyOf(upgrades);
            readyAt = List.copyOf(readyAt);
        }

        /** Whether no request failed and every upgrade succeeded. */
        public boolean passed() {
            return load.hasNoFailures() && upgrades.stream().allMatch(UpgradeTiming::succeeded);
        }
    }

    private final DemoJobOptions options;
    private final PrintStream out;
    private final Path log;
    private final int port;
    private final String name;
    private final BatonControl control;
    private final ConcurrentHashMap<Integer, Duration> drainTimes = new ConcurrentHashMap<>();
    private final List<CompletableFuture<?>> drains = new ArrayList<>();
    private static final Duration ASSEMBLY_WAIT = Duration.ofSeconds(60);
    /** Where the demo server's Baton keeps its AOT cache, when it does ({@code ./baton} sets it). */
    private static final String AOT_CACHE_VARIABLE = "BATON_AOT_CACHE";
    /** The upgrades whose old generation recorded the AOT cache: that JVM writes the recording as it exits. */
    private final Set<Integer> oldRecordedAot = ConcurrentHashMap.newKeySet();
    private DemoTls tls; // the throwaway pair of an h2 run, made in run()

    private DemoJob(DemoJobOptions options, PrintStream out) throws IOException {
        this.options = options;
        this.out = out;
        this.port = options.port() != 0 ? options.port() : freePort();
        this.name = DemoServerOptions.defaultName(port);
        this.log = options.workDirectory().resolve("demo-server.log");
        this.control = BatonControl.forService(name);
    }

    /** Runs the job; prints progress and the result table on {@code out}. */
    public static Outcome run(DemoJobOptions options, PrintStream out) throws IOException, InterruptedException {
        return new DemoJob(options, out).run(List.of(new Load(options.duration(), options.upgrades()))).getFirst();
    }

    /**
     * One load of {@link #runEach}.
     *
     * @param duration how long it runs (longer if its upgrades take longer)
     * @param upgrades how many upgrades happen during it, evenly spaced
     */
    public record Load(Duration duration, int upgrades) {}

    /**
     * Runs the loads one after the other on the same server (started once); prints each as {@link #run}
     * does. The options' duration and upgrades are not used.
     */
    public static List<Outcome> runEach(DemoJobOptions options, List<Load> loads, PrintStream out)
            throws IOException, InterruptedException {
        return new DemoJob(options, out).run(loads);
    }

    private List<Outcome> run(List<Load> loads) throws IOException, InterruptedException {
        Files.createDirectories(options.workDirectory());
        Path config = options.workDirectory().resolve("demo.properties");
        Files.writeString(config, "greeting=" + DemoConfig.DEFAULT_GREETING + "\n", StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(options.serverCommand());
        command.addAll(List.of("--port", Integer.toString(port), "--name", name, "--config", config.toString(),
                "--pidfile", options.workDirectory().resolve("demo-server.pid").toString()));
        command.addAll(List.of("--server", options.server().label()));
        if (options.protocol() == DemoProtocol.H2) { // HTTPS: a throwaway self-signed pair, read again by each generation
            tls = DemoTls.throwaway(options.workDirectory().resolve("tls"));
            command.addAll(List.of("--tls-cert", tls.certificate().toString(), "--tls-key", tls.privateKey().toString()));
            out.printf("TLS: a throwaway self-signed certificate for 127.0.0.1, %s%n", tls.certificate());
        }
        out.printf("Starting the %s demo server on 127.0.0.1:%d (its log: %s)%n", options.server().label(), port, log);
        Process server = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try (StopOnExit _ = StopOnExit.register("the demo server (" + name + ")", () -> stopServer(server))) {
            awaitServing(server);
            List<Outcome> outcomes = new ArrayList<>();
            for (Load each : loads) {
                out.printf("Load: %s%s for %ds, never retrying; %d upgrades meanwhile%n",
                        JobLoads.describe(options.protocol(), options.connections(), options.mode()),
                        options.path().equals("/") ? "" : " on GET " + options.path(),
                        each.duration().toSeconds(), each.upgrades());
                Outcome outcome = drive(each);
                print(outcome);
                outcomes.add(outcome);
            }
            return outcomes;
        } finally {
            stopServer(server);
            awaitAotAssembly();
        }
    }

    /**
     * Waits (at most {@link #ASSEMBLY_WAIT}) for an AOT cache assembly the demo's upgrades started: it runs
     * detached at nice 19, and would otherwise outlive the demo by seconds, a java process nobody asked for.
     */
    private void awaitAotAssembly() throws InterruptedException {
        for (long pid : pidsNamed(".assembler")) {
            Optional<ProcessHandle> assembly = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (assembly.isEmpty()) {
                continue;
            }
            out.printf("Waiting for the AOT cache assembly (pid %d, nice 19) to finish, at most %ds%n", pid,
                    ASSEMBLY_WAIT.toSeconds());
            try {
                assembly.get().onExit().get(ASSEMBLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                out.printf("The assembly (pid %d) goes on in the background; the next run uses its cache%n", pid);
            }
        }
    }

    private void awaitServing(Process server) throws IOException, InterruptedException {
        Duration readyWait = options.server().isSpring() ? SpringDemo.READY_WAIT : READY_WAIT;
        long deadline = System.nanoTime() + readyWait.toNanos();
        while (true) {
            if (!server.isAlive()) {
                throw new IOException("the demo server exited with status " + server.exitValue()
                        + " before it was ready; its log: " + log + "\n" + tail(log));
            }
            try {
                if (control.status().state() == ServiceStatus.State.SERVING) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening on its control socket yet
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the demo server was not ready within " + readyWait.toSeconds()
                        + "s; its log: " + log);
            }
            server.waitFor(100, TimeUnit.MILLISECONDS); // returns at once if it exits
        }
    }

    private Outcome drive(Load each) throws IOException, InterruptedException {
        int upgradeCount = each.upgrades();
        List<UpgradeTiming> upgrades = new ArrayList<>();
        List<Duration> readyAt = new ArrayList<>();
        drains.clear();
        drainTimes.clear();
        oldRecordedAot.clear();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("demo-progress").factory());
        try (JobLoad load = startLoad(each)) {
            progress.scheduleAtFixedRate(() -> printProgress(load, upgrades.size(), upgradeCount), 1, 1, TimeUnit.SECONDS);
            long start = System.nanoTime();
            for (int i = 1; i <= upgradeCount; i++) {
                long at = start + each.duration().toNanos() * i / (upgradeCount + 1);
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                UpgradeTiming timing = upgrade(i);
                readyAt.add(Duration.ofNanos(System.nanoTime() - start));
                synchronized (upgrades) {
                    upgrades.add(timing);
                }
            }
            // The load runs for the duration asked, and on past the last upgrade for a second, and
            // until the last generation answered (bounded), so that every generation serves even when
            // upgrades take longer than their spacing.
            long end = Math.max(start + each.duration().toNanos(), System.nanoTime() + AFTER_LAST_UPGRADE.toNanos());
            TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
            awaitAnswersFrom(load, 1 + (int) upgrades.stream().filter(UpgradeTiming::succeeded).count());
            JobReport report = load.stop();
            progress.shutdownNow();
            clearProgress();
            awaitDrains();
            List<UpgradeTiming> measured = upgrades.stream()
                    .map(u -> new UpgradeTiming(u.number(), u.oldPid(), u.newPid(), u.succeeded(), u.untilReady(),
                            Optional.ofNullable(drainTimes.get(u.number())), u.message()))
                    .toList();
            return new Outcome(report, measured, log, readyAt);
        } finally {
            progress.shutdownNow();
        }
    }

    /** Waits (at most {@link #LAST_ANSWER_WAIT}) until {@code load} had answers from {@code generations} generations. */
    private static void awaitAnswersFrom(JobLoad load, int generations) throws InterruptedException {
        long deadline = System.nanoTime() + LAST_ANSWER_WAIT.toNanos();
        while (load.pidsSoFar() < generations && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling a counter the callers raise
        }
    }

    /** The load of the protocol asked: HTTP/1.1, h2c, h2 or WebSocket for Jetty and Netty, {@code Hello} calls for gRPC. */
    private JobLoad startLoad(Load each) {
        return JobLoads.start(options.server(), options.protocol(), port, options.connections(), options.mode(),
                options.path(), each.duration().plus(RELOAD_WAIT.multipliedBy(each.upgrades() + 1L)).plus(LAST_ANSWER_WAIT),
                tls);
    }

    private UpgradeTiming upgrade(int number) throws IOException {
        long start = System.nanoTime();
        UpgradeResult result = control.reload(RELOAD_WAIT);
        long oldPid = result.servingPid();
        Duration untilReady = Duration.ofNanos(System.nanoTime() - start);
        if (result.succeeded()) {
            if (recordsAotCache(oldPid)) {
                oldRecordedAot.add(number);
            }
            long readyAt = System.nanoTime();
            drains.add(ProcessExit.of(oldPid).thenRun(() ->
                    drainTimes.put(number, Duration.ofNanos(System.nanoTime() - readyAt))));
        }
        return new UpgradeTiming(number, oldPid, result.successorPid(), result.succeeded(), untilReady,
                Optional.empty(), result.message());
    }

    /** Whether {@code pid} records the demo's AOT cache. */
    private static boolean recordsAotCache(long pid) {
        return pidsNamed(".recorder").contains(pid);
    }

    /** The pids in the {@code *suffix} files of {@code $BATON_AOT_CACHE}, where Baton names its recorders and assemblies. */
    private static List<Long> pidsNamed(String suffix) {
        String directory = System.getenv(AOT_CACHE_VARIABLE);
        if (directory == null || directory.isBlank()) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(directory))) {
            for (Path file : files.filter(file -> file.getFileName().toString().endsWith(suffix)).toList()) {
                pids.add(Long.parseLong(Files.readString(file).strip()));
            }
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            // a file removed meanwhile, or half written: no pid to name
        }
        return pids;
    }

    private void awaitDrains() throws InterruptedException {
        try {
            CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new)).get(STOP_WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // reported as "still draining" in the table
        }
    }

    private void stopServer(Process server) throws InterruptedException {
        try {
            long pid = control.stop(false);
            ProcessExit.of(pid).get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            out.println("Could not stop the demo server through its control socket (" + e.getMessage()
                    + "); terminating it");
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("--name " + name)).orElse(false))
                    .forEach(ProcessHandle::destroy);
        }
        if (!server.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    private boolean interactive() {
        return System.console() != null && out == System.out;
    }

    private void printProgress(JobLoad load, int upgradesDone, int upgradeCount) {
        String line = load.progressLine() + "  upgrades " + upgradesDone + "/" + upgradeCount;
        if (interactive()) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void clearProgress() {
        if (interactive()) {
            out.print("\r" + " ".repeat(100) + "\r");
        }
    }

    private void print(Outcome outcome) {
        out.println();
        out.print(outcome.load().toTable());
        out.println();
        out.println("Upgrades");
        out.printf("  %-3s %-10s %-10s %-10s %-12s %s%n", "#", "old pid", "new pid", "result", "ready after",
                "old drained after");
        for (UpgradeTiming u : outcome.upgrades()) {
            out.printf("  %-3d %-10d %-10s %-10s %-12s %s%n", u.number(), u.oldPid(),
                    u.newPid() == 0 ? "-" : Long.toString(u.newPid()), u.succeeded() ? "ok" : "FAILED",
                    u.untilReady().toMillis() + " ms",
                    u.untilDrained().map(d -> d.toMillis() + " ms" + (oldRecordedAot.contains(u.number())
                            ? " (its JVM wrote the AOT recording as it exited)" : ""))
                            .orElse(u.succeeded() ? "still draining" : "-"));
            if (!u.succeeded()) {
                out.println("      " + u.message());
            }
        }
        out.println();
        out.println(outcome.passed()
                ? "PASS: zero failed " + unit() + " across " + outcome.upgrades().size() + " upgrades"
                : "FAIL: " + outcome.load().failures() + " failed " + unit() + ", "
                        + outcome.upgrades().stream().filter(u -> !u.succeeded()).count() + " failed upgrades");
    }

    private String unit() {
        return switch (options.protocol()) {
            case HTTP1, H2C, H2 -> "requests";
            case WS -> "echoes";
            case GRPC -> "calls";
        };
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
