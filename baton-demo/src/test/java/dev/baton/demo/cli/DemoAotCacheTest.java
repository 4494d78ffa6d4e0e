package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A successor of {@code demo-server} starts {@code 10} nice levels below its predecessor (the default) and is
 * back at ready, or before it where the CPU is busy, as {@code /proc} shows it. The AOT cache's sequence runs
 * from the packaged jar: {@link DemoAotCacheIT}.
 */
class DemoAotCacheTest {

    @TempDir
    Path directory;

    @Test
    void successor_startsTenNiceLevelsLower_everyThread_andIsBackAtReady() throws Exception {
        Path config = Files.writeString(directory.resolve("demo.properties"), "warmup.ms=3000\n");
        try (DemoServerRun server = DemoServerRun.startWithEnvironment(directory, Map.of(), "--config", config.toString())) {
            long predecessor = server.servingPid();
            int serving = nice(predecessor, predecessor);
            CompletableFuture<Long> upgrade = upgradeInTheBackground(server);
            long successor = successorOf(predecessor);
            boolean root = "0".equals(uid());
            List<Integer> starting = nices(successor);
            assertThat(upgrade.join()).isEqualTo(successor);
            List<Integer> ready = nices(successor);

            String log = server.logText();
            if (root && log.contains("successor pid " + successor + " got")) { // a loaded machine: set back early
                assertThat(ready).as("at ready").isNotEmpty().containsOnly(serving);
                assertThat(log).contains("at nice " + serving + " already at ready");
            } else if (root) { // CAP_SYS_NICE: lowered, and back at ready (see CpuPriority for RLIMIT_NICE)
                assertThat(starting).as("while it starts").isNotEmpty().containsOnly(Math.min(19, serving + 10));
                assertThat(ready).as("at ready").isNotEmpty().containsOnly(serving);
                assertThat(log).containsPattern("back to nice " + serving + " \\(\\d+ threads\\) at ready");
            } else { // a plain user could not return: it is not lowered at all
                assertThat(starting).containsOnly(serving);
                assertThat(log).contains("not lower: they could not return at ready()");
            }
        }
    }

    @Test
    void successor_onABusyCpu_isBackAtTheServingNiceBeforeReady() throws Exception {
        assumeTrue("0".equals(uid()), "only root (CAP_SYS_NICE) starts a successor lower here");
        Path config = Files.writeString(directory.resolve("demo.properties"), "warmup.ms=3000\n");
        try (DemoServerRun server = DemoServerRun.startWithEnvironment(directory, Map.of(), "--config", config.toString())) {
            long predecessor = server.servingPid();
            int serving = nice(predecessor, predecessor);
            AtomicBoolean busy = keepEveryCpuBusy();
            long successor;
            try {
                CompletableFuture<Long> upgrade = upgradeInTheBackground(server);
                successor = successorOf(predecessor);
                assertThat(upgrade.join()).isEqualTo(successor);
            } finally {
                busy.set(false);
            }

            assertThat(server.logText()).contains("successor pid " + successor + " got")
                    .contains("under half a CPU: back to nice " + serving)
                    .contains("at nice " + serving + " already at ready");
            assertThat(nices(successor)).isNotEmpty().containsOnly(serving);
        }
    }

    private static CompletableFuture<Long> upgradeInTheBackground(DemoServerRun server) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.upgradeBySighup();
            } catch (IOException | InterruptedException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static long successorOf(long predecessor) {
        return await("the successor process").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> ProcessHandle.of(predecessor).flatMap(p -> p.children().findFirst())
                        .map(ProcessHandle::pid).orElse(0L), pid -> pid != 0L);
    }

    /** Twice as many threads as CPUs, busy at the serving priority as a flat-out load is, until the flag is cleared. */
    private static AtomicBoolean keepEveryCpuBusy() {
        AtomicBoolean running = new AtomicBoolean(true);
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
            Thread.ofPlatform().daemon().name("busy-" + i).start(() -> {
                while (running.get()) {
                    // a read of the flag per turn: the loop cannot be compiled away
                }
            });
        }
        return running;
    }

    private static List<Integer> nices(long pid) throws IOException {
        List<Integer> nices = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    nices.add(nice(pid, Long.parseLong(task.getFileName().toString())));
                } catch (IOException e) {
                    // a thread that ended meanwhile
                }
            }
        }
        return nices;
    }

    /** Field 19 of {@code /proc/<pid>/task/<tid>/stat}, counted after the command name's closing parenthesis. */
    private static int nice(long pid, long tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    private static String uid() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .map(l -> l.split("\\s+")[1]).findFirst().orElse("");
    }
}
