package dev.baton.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's files and flags; the JVM's side (a successor that records, uses or is refused) is DemoAotCacheTest's. */
class AotCacheTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path directory;

    private Path jar;
    private List<String> command;
    private AotCache cache;

    @BeforeEach
    void setUp() throws IOException {
        jar = Files.write(directory.resolve("app.jar"), new byte[] {1, 2, 3});
        command = List.of(JAVA, "-Xmx64m", "-jar", jar.toString(), "--port", "8080");
        cache = AotCache.of(directory.resolve("aot"), Map.of()).orElseThrow();
    }

    @Test
    void of_noDirectoryAndNoVariable_isOff_theVariableTurnsItOn() {
        assertThat(AotCache.of(null, Map.of())).isEmpty();
        assertThat(AotCache.of(null, Map.of(AotCache.VARIABLE, ""))).isEmpty();
        assertThat(AotCache.of(null, Map.of(AotCache.VARIABLE, "/var/cache/app")).orElseThrow().directory())
                .isEqualTo(Path.of("/var/cache/app"));
    }

    @Test
    void prepareKey_ahead_changesNothing_theUpgradeThenRecordsAsWithout() {
        cache.prepareKey(command);

        assertThat(directory.resolve("aot")).doesNotExist();
        assertThat(cache.prepare(command, "").use()).isEqualTo(AotCache.Use.RECORD);
    }

    @Test
    void prepare_noCacheYet_records_andTheNextGenerationRemovesExactlyTheFlagsAdded() {
        AotCache.Prepared prepared = cache.prepare(command, "");

        assertThat(prepared.use()).isEqualTo(AotCache.Use.RECORD);
        assertThat(prepared.command()).contains("-XX:AOTMode=record").startsWith(JAVA).endsWith("--port", "8080");
        assertThat(AotCache.withoutFlags(prepared.command())).isEqualTo(command);
        assertThat(cache.prepare(prepared.command(), "").command()).isEqualTo(prepared.command());
    }

    @Test
    void prepare_whileTheRecorderRuns_noFlags_thenWithTheCache_usesIt() throws IOException {
        cache.prepare(command, "").started().accept(ProcessHandle.current().pid()); // a recorder that runs

        assertThat(cache.prepare(command, "")).satisfies(prepared -> {
            assertThat(prepared.use()).isEqualTo(AotCache.Use.NONE);
            assertThat(prepared.command()).isEqualTo(command);
        });

        Path file = directory.resolve("aot").resolve(AotCache.keyOf(command) + ".aot");
        Files.write(file, new byte[] {0});
        AotCache.Prepared prepared = cache.prepare(command, "");
        assertThat(prepared.use()).isEqualTo(AotCache.Use.CACHE);
        assertThat(prepared.command()).contains("-XX:AOTCache=" + file).contains("-Xlog:aot*=off,cds*=off");
    }

    @Test
    void keyOf_anotherBuildOfTheJar_anotherKey_theSameJar_theSameKey() throws IOException {
        String key = AotCache.keyOf(command);
        assertThat(AotCache.keyOf(command)).isEqualTo(key).startsWith("app-");
        assertThat(AotCache.keyOf(List.of(JAVA, "-Xmx64m", "-jar", jar.toString(), "--other", "arguments")))
                .as("the program's arguments are not the JVM's").isEqualTo(key);

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 10_000));
        String touched = AotCache.keyOf(command);
        assertThat(touched).isNotEqualTo(key);
        Files.write(jar, new byte[] {1, 2, 3, 4});
        assertThat(AotCache.keyOf(command)).isNotEqualTo(touched).isNotEqualTo(key);
        assertThat(AotCache.keyOf(List.of(JAVA, "-Xmx128m", "-jar", jar.toString()))).as("other JVM options")
                .isNotEqualTo(AotCache.keyOf(command));
    }

    @Test
    void prepare_notAJavaCommand_unchanged() {
        List<String> python = List.of("/usr/bin/python3", "server.py");

        AotCache.Prepared prepared = cache.prepare(python, "");

        assertThat(prepared.use()).isEqualTo(AotCache.Use.NONE);
        assertThat(prepared.command()).isEqualTo(python);
    }

    @Test
    void removeIfRefused_removesTheCacheOnlyWhenTheJvmSaysItDoesNotShare() throws IOException {
        Path file = directory.resolve("aot").resolve(AotCache.keyOf(command) + ".aot");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {0});
        List<String> withCache = cache.prepare(command, "").command();

        assertThat(AotCache.removeIfRefused(withCache, "mixed mode, sharing")).isEmpty();
        assertThat(file).exists();
        assertThat(AotCache.removeIfRefused(command, "mixed mode")).as("no cache in the command").isEmpty();
        assertThat(AotCache.removeIfRefused(withCache, "mixed mode")).contains(file);
        assertThat(file).doesNotExist();
    }

    @Test
    void prepare_aDirectoryOfClassesOnTheClassPath_noCache_theJdkCachesJarsOnly() throws IOException {
        Path classes = Files.createDirectories(directory.resolve("classes"));
        Files.write(classes.resolve("App.class"), new byte[] {0});
        Path empty = Files.createDirectories(directory.resolve("empty"));
        List<String> fromDirectory = List.of(JAVA, "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp",
                jar + ":" + classes, "dev.example.App");

        AotCache.Prepared prepared = cache.prepare(fromDirectory, "");

        assertThat(prepared.use()).isEqualTo(AotCache.Use.NONE);
        assertThat(prepared.command()).isEqualTo(fromDirectory);
        assertThat(cache.prepare(List.of(JAVA, "-cp", jar + ":" + empty, "dev.example.App"), "").use())
                .as("an empty directory holds no class").isEqualTo(AotCache.Use.RECORD);
        assertThat(cache.prepare(List.of(JAVA, "-p", empty.toString(), "-m", "app"), "").use())
                .as("a module path directory of jars").isEqualTo(AotCache.Use.RECORD);
    }

    @Test
    void prepare_aFlightRecordingAskedFor_noGenerationRecords_aCacheAlreadyMadeIsUsed() throws IOException {
        AotCache withJfr = AotCache.of(directory.resolve("aot"),
                Map.of("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=/tmp/baton-%p.jfr")).orElseThrow();
        List<String> jfrOnTheCommandLine = new java.util.ArrayList<>(command);
        jfrOnTheCommandLine.add(1, "-XX:StartFlightRecording");

        assertThat(withJfr.prepare(command, "").use()).as("a JVM in record mode would write no recording")
                .isEqualTo(AotCache.Use.NONE);
        assertThat(cache.prepare(jfrOnTheCommandLine, "").use()).isEqualTo(AotCache.Use.NONE);

        Path made = directory.resolve("aot").resolve(AotCache.keyOf(command) + ".aot");
        Files.write(made, new byte[] {1});
        assertThat(withJfr.prepare(command, "").use()).isEqualTo(AotCache.Use.CACHE);
    }

    @Test
    void prepare_anAssemblyThatFails_isNotRecordedAndAssembledAgain() throws IOException {
        Path aot = directory.resolve("aot");
        Files.createDirectories(aot);
        String key = AotCache.keyOf(command);
        Files.writeString(aot.resolve(key + ".aotconf"), "not a recording"); // the JVM refuses it: exit 1

        assertThat(cache.prepare(command, "").use()).isEqualTo(AotCache.Use.ASSEMBLING);
        Path failed = aot.resolve(key + ".failed");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> Files.exists(failed));

        assertThat(cache.prepare(command, "").use()).as("no new recording of a cache that cannot be made")
                .isEqualTo(AotCache.Use.NONE);
        assertThat(aot.resolve(key + ".aot")).doesNotExist();
        assertThat(aot.resolve(key + ".aotconf")).doesNotExist();
    }

    @Test
    void prepare_aCommandWithCdsOrItsOwnAotOptions_noCache_theJvmWouldRefuseToStart() {
        for (String option : List.of("-Xshare:auto", "-Xshare:off", "-XX:SharedArchiveFile=app.jsa",
                "-XX:AOTCache=own.aot", "-XX:+AutoCreateSharedArchive")) {
            List<String> withOption = List.of(JAVA, option, "-jar", jar.toString());

            AotCache.Prepared prepared = cache.prepare(withOption, "");

            assertThat(prepared.use()).as(option).isEqualTo(AotCache.Use.NONE);
            assertThat(prepared.command()).as(option).isEqualTo(withOption);
        }
    }

    @Test
    void recordingFailed_theNextSuccessorsStartPlain_notRecordingAgain() throws IOException {
        AotCache.Prepared recording = cache.prepare(command, "");
        assertThat(recording.use()).isEqualTo(AotCache.Use.RECORD);

        cache.recordingFailed(recording.command(), "exited with status 1 before it was ready", "");

        AotCache.Prepared next = cache.prepare(recording.command(), "");
        assertThat(next.use()).isEqualTo(AotCache.Use.NONE);
        assertThat(next.command()).isEqualTo(command);
        assertThat(directory.resolve("aot").resolve(AotCache.keyOf(command) + ".failed"))
                .content().contains("exited with status 1 before it was ready");
    }

    @Test
    void recordingFailed_aJvmThatCannotStart_itsErrorIsReportedThoughItsTtyIsSilenced() throws Exception {
        // A real JVM in record mode that fails at initialization: with -XX:-DisplayVMOutput it prints nothing.
        // (-cp, not -jar: the launcher would refuse the test's jar, which is no jar, before the JVM starts.)
        List<String> failing = List.of(JAVA, "-Xmx1k", "-cp", jar.toString(), "Main");
        AotCache.Prepared recording = cache.prepare(failing, "");
        assertThat(recording.use()).isEqualTo(AotCache.Use.RECORD);
        Process jvm = new ProcessBuilder(recording.command()).redirectErrorStream(true).start();
        String printed = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(jvm.waitFor()).isEqualTo(1);
        assertThat(printed).as("the recorder's own output").doesNotContain("Too small maximum heap");

        List<String> jvmSaid = recording.failedBeforeReady().apply("exited with status 1 before it was ready");

        assertThat(jvmSaid).containsExactly("Error occurred during initialization of VM", "Too small maximum heap");
        assertThat(directory.resolve("aot").resolve(AotCache.keyOf(failing) + ".failed")).content()
                .contains("exited with status 1 before it was ready; the JVM said: Error occurred during "
                        + "initialization of VM / Too small maximum heap");
        assertThat(directory.resolve("aot").resolve(AotCache.keyOf(failing) + ".vmout")).doesNotExist();
    }

    @Test
    void prepare_anEmptyRecording_recordsAgain() throws IOException {
        Path configuration = directory.resolve("aot").resolve(AotCache.keyOf(command) + ".aotconf");
        Files.createDirectories(configuration.getParent());
        Files.write(configuration, new byte[0]);

        AotCache.Prepared prepared = cache.prepare(command, "");

        assertThat(prepared.use()).isEqualTo(AotCache.Use.RECORD);
        assertThat(configuration).doesNotExist();
    }
}
