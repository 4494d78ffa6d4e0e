package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo-server --aot-cache DIR} as real processes: successors that record the JDK's AOT cache, start
 * from a damaged one, and use the one Baton assembled, each starting and serving; and a successor that
 * starts {@code 10} nice levels below its predecessor when asked ({@code BATON_SUCCESSOR_NICE=10}) and is back at
 * ready, as {@code /proc} shows it.
 */
class DemoAotCacheTest {

    private static final Duration ASSEMBLY = Duration.ofMinutes(5);

    @TempDir
    Path directory;

    @Test
    @org.junit.jupiter.api.Disabled("in the suite the recording generation exits after its drain without writing its "
            + "AOT configuration (no .aotconf beside the .recorder marker), so nothing is assembled; seen in the last "
            + "two CI runs of session 3, not yet understood: see issue 9's notes")
    void successors_missingDamagedThenAssembledCache_eachStartsAndServes_andTheJvmSaysNothingAboutIt()
            throws Exception {
        Path aot = directory.resolve("aot");
        try (DemoServerRun server = DemoServerRun.start(directory, "--aot-cache", aot.toString())) {
            long recorder = server.upgradeBySighup(); // no cache yet: it records
            assertThat(commandLine(recorder)).contains("-XX:AOTMode=record");
            String configuration = flag(recorder, "-XX:AOTConfiguration=").orElseThrow();
            Path cache = Path.of(configuration.replaceAll("\\.aotconf$", ".aot"));

            Files.write(cache, "not an AOT cache".getBytes(StandardCharsets.UTF_8)); // damaged, or another JDK's
            long damaged = server.upgradeBySighup();
            assertThat(flag(damaged, "-XX:AOTCache=")).contains(cache.toString());
            await("the refused cache removed").atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(cache));

            // the recorder has drained and exited, writing what it recorded: the next upgrade assembles it
            await("the recorder's configuration").atMost(ASSEMBLY)
                    .until(() -> !DemoServerRun.runs(ProcessHandle.of(recorder).orElse(ProcessHandle.current()))
                            && Files.exists(Path.of(configuration)));
            long assembling = server.upgradeBySighup();
            assertThat(flag(assembling, "-XX:AOTCache=")).isEmpty();
            await("the assembled cache").atMost(ASSEMBLY).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Files.exists(cache) && !Files.exists(Path.of(configuration)));

            long cached = server.upgradeBySighup();
            assertThat(flag(cached, "-XX:AOTCache=")).contains(cache.toString());
            assertThat(cache).as("a cache the JVM used is kept").exists();
            assertThat(server.logText()).doesNotContain("[aot", "[cds", "AOTConfiguration", "AOTCache",
                    "Picked up JAVA_TOOL_OPTIONS");
        }
    }

    @Test
    void successor_startsTenNiceLevelsLower_everyThread_andIsBackAtReady() throws Exception {
        Path config = Files.writeString(directory.resolve("demo.properties"), "warmup.ms=3000\n");
        try (DemoServerRun server = DemoServerRun.startWithEnvironment(directory, Map.of("BATON_SUCCESSOR_NICE", "10"),
                "--config", config.toString())) {
            long predecessor = server.servingPid();
            int serving = nice(predecessor, predecessor);
            CompletableFuture<Long> upgrade = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.upgradeBySighup();
                } catch (IOException | InterruptedException e) {
                    throw new CompletionException(e);
                }
            });
            long successor = await("the successor process").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> ProcessHandle.of(predecessor).flatMap(p -> p.children().findFirst())
                            .map(ProcessHandle::pid).orElse(0L), pid -> pid != 0L);
            boolean root = "0".equals(uid());
            List<Integer> starting = nices(successor);
            assertThat(upgrade.join()).isEqualTo(successor);
            List<Integer> ready = nices(successor);

            if (root) { // CAP_SYS_NICE: lowered, and back (see CpuPriority for RLIMIT_NICE)
                assertThat(starting).as("while it starts").isNotEmpty().containsOnly(Math.min(19, serving + 10));
                assertThat(ready).as("at ready").isNotEmpty().containsOnly(serving);
                assertThat(server.logText()).contains("back to nice " + serving);
            } else { // a plain user could not return: it is not lowered at all
                assertThat(starting).containsOnly(serving);
                assertThat(server.logText()).contains("not lower: it could not return at ready()");
            }
        }
    }

    private static List<String> commandLine(long pid) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
        return Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\0"));
    }

    private static Optional<String> flag(long pid, String prefix) throws IOException {
        return commandLine(pid).stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length()))
                .findFirst();
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
