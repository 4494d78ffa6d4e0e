package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo-server --aot-cache DIR} from the packaged jar, as {@code ./baton} runs it (the JDK caches
 * classes from jar files only, so not from the test's class path of directories): successors that record the
 * AOT cache, start while it records, while it is assembled, from the cache Baton assembled and from a
 * damaged one, each starting and serving, and the JVM says nothing about it in the log.
 */
class DemoAotCacheIT {

    private static final Duration ASSEMBLY = Duration.ofMinutes(5); // a bound on a loaded 2-core machine
    private static final Path JAR = Path.of("target", "baton-demo.jar").toAbsolutePath();

    @TempDir
    Path directory;

    @Test
    void successors_missingDamagedThenAssembledCache_eachStartsAndServes_andTheJvmSaysNothingAboutIt()
            throws Exception {
        assertThat(JAR).as("the packaged demo jar (mvn package runs before the ITs)").exists();
        Path aot = directory.resolve("aot");
        try (DemoServerRun server = DemoServerRun.startFromJar(directory, JAR, "--aot-cache", aot.toString(),
                "--no-warm-up")) {
            long recorder = server.upgradeBySighup(); // no cache yet: it records
            assertThat(commandLine(recorder)).contains("-XX:AOTMode=record");
            Path configuration = Path.of(flag(recorder, "-XX:AOTConfiguration=").orElseThrow());
            Path cache = Path.of(configuration.toString().replaceAll("\\.aotconf$", ".aot"));

            long whileRecording = server.upgradeBySighup();
            assertThat(flag(whileRecording, "-XX:AOT")).as("no cache while the recorder runs").isEmpty();
            // the recorder has drained and exits, writing what it recorded (seconds, at exit)
            await("the recorder's exit").atMost(ASSEMBLY)
                    .until(() -> !runs(recorder));
            assertThat(configuration).as("what the recorder recorded; log:\n" + server.logText()).isNotEmptyFile();

            long assembling = server.upgradeBySighup(); // the assembly starts beside it
            assertThat(flag(assembling, "-XX:AOT")).isEmpty();
            Path assembler = Path.of(configuration.toString().replaceAll("\\.aotconf$", ".assembler"));
            await("the assembly's end").atMost(ASSEMBLY).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Files.exists(assembler) && !runs(Long.parseLong(Files.readString(assembler).strip())));
            assertThat(cache).as("the assembled cache; assembly log:%n%s", assemblyLog(configuration)).isNotEmptyFile();

            long cached = server.upgradeBySighup();
            assertThat(flag(cached, "-XX:AOTCache=")).contains(cache.toString());
            assertThat(ProcessHandle.of(cached).flatMap(p -> p.info().command())).isPresent();
            assertThat(cache).as("a cache the JVM used is kept").exists();

            // damaged, or another JDK's: a new file in its place (rewriting the file a running JVM maps would end it)
            Path other = Files.write(directory.resolve("other.aot"), "not an AOT cache".getBytes(StandardCharsets.UTF_8));
            Files.move(other, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            long damaged = server.upgradeBySighup();
            assertThat(flag(damaged, "-XX:AOTCache=")).contains(cache.toString());
            await("the refused cache removed").atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(cache));
            assertThat(server.servingPid()).as("the generation refused its cache and serves").isEqualTo(damaged);
            assertThat(server.logText()).doesNotContain("[aot", "[cds", "AOTConfiguration", "AOTCache",
                    "Picked up JAVA_TOOL_OPTIONS");
        }
    }

    /** Whether {@code pid} runs: a process reaped already does not. */
    private static boolean runs(long pid) {
        return ProcessHandle.of(pid).map(DemoServerRun::runs).orElse(false);
    }

    private static String assemblyLog(Path configuration) throws IOException {
        Path log = Path.of(configuration.toString().replaceAll("\\.aotconf$", ".log"));
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }

    private static List<String> commandLine(long pid) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
        return Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\0"));
    }

    private static Optional<String> flag(long pid, String prefix) throws IOException {
        return commandLine(pid).stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length()))
                .findFirst();
    }
}
