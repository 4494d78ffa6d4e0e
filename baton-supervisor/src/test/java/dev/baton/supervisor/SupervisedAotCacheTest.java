package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.UpgradeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code baton run --aot-cache DIR} with a Java worker run from a jar (issue 9): the first worker records
 * the JDK's AOT cache of its command line, a later reload assembles it in the background once that worker
 * has exited, and the next worker starts from the cache, which its JVM maps ("sharing" in
 * {@code java.vm.info}). The worker is a jar built here that prints {@code java.vm.info} and idles; it is
 * ready after a fixed delay.
 */
@Timeout(420)
class SupervisedAotCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String WORKER = """
            public class Idle {
                public static void main(String[] args) throws Exception {
                    System.out.println("vm.info " + System.getProperty("java.vm.info"));
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            """;

    @TempDir
    Path directory;

    private SupervisorProcess supervisor;

    @AfterEach
    void stopEverything() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    void aotCache_firstWorkerRecords_aReloadAssembles_aLaterWorkerStartsFromTheCache() throws Exception {
        Path jar = idleJar();
        Path cache = directory.resolve("aot");
        List<String> command = List.of(SupervisorProcess.JAVA, "-Xmx64m", "-jar", jar.toString());
        supervisor = SupervisorProcess.start(directory, "aot", List.of("listen.http=127.0.0.1:"
                + SupervisorUnderLoadTest.freePort(), "ready=delay=300ms", "drain-timeout=5s",
                "aot-cache=" + cache), command);
        supervisor.awaitServing();
        long first = supervisor.servingWorker();
        assertThat(commandLine(first)).as("worker 1 records").contains("-XX:AOTMode=record");

        reload(); // worker 1 retires: its JVM writes the recording as it exits
        await().atMost(WAIT).until(() -> ProcessHandle.of(first).map(p -> !p.isAlive()).orElse(true)
                && filesEndingIn(cache, ".aotconf") == 1);
        reload(); // worker 2 retires; this reload's launch assembles the cache from worker 1's recording
        // at nice 19 the assembly waits for every other process on the machine: give it minutes, not seconds
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> filesEndingIn(cache, ".aot") == 1);
        long cached = reload();

        assertThat(commandLine(cached)).as("worker 4 starts from the cache").anyMatch(a -> a.startsWith("-XX:AOTCache="));
        await().atMost(WAIT).untilAsserted(() -> assertThat(supervisor.log())
                .containsPattern("\\[worker 4 pid " + cached + "\\] vm.info [^\\n]*sharing"));
        assertThat(supervisor.log()).contains("assembling the AOT cache").doesNotContain("[error][aot]");
    }

    private long reload() throws IOException {
        UpgradeResult result = supervisor.control().reload(WAIT);
        assertThat(result.succeeded()).as("%s\n%s", result, supervisor.log()).isTrue();
        return result.successorPid();
    }

    /** A jar of {@link #WORKER}, made with the JDK's javac and jar (java.util.spi.ToolProvider: java.base only). */
    private Path idleJar() throws IOException {
        Path source = Files.writeString(directory.resolve("Idle.java"), WORKER);
        Path classes = Files.createDirectories(directory.resolve("classes"));
        Path jar = directory.resolve("idle.jar");
        assertThat(ToolProvider.findFirst("javac").orElseThrow().run(System.out, System.err, "-d", classes.toString(),
                source.toString())).as("javac Idle.java").isZero();
        assertThat(ToolProvider.findFirst("jar").orElseThrow().run(System.out, System.err, "--create", "--file",
                jar.toString(), "--main-class", "Idle", "-C", classes.toString(), ".")).as("jar").isZero();
        return jar;
    }

    private static List<String> commandLine(long pid) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
        return new ArrayList<>(Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0")));
    }

    private static long filesEndingIn(Path directory, String suffix) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }
}
