package dev.baton.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new build of the jar removes the cache of the old one, and nothing else. */
class StaleAotCachesTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path directory;

    private Path jar;
    private Path caches;
    private List<String> command;
    private AotCache cache;

    @BeforeEach
    void setUp() throws IOException {
        jar = Files.write(directory.resolve("app.jar"), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-01T10:00:00Z")));
        caches = directory.resolve("aot");
        command = List.of(JAVA, "-jar", jar.toString());
        cache = AotCache.of(caches, Map.of()).orElseThrow();
    }

    /** What a recording and a finished assembly leave: the cache, its source, its log and pid files. */
    private String builtCache(List<String> command) throws IOException {
        assertThat(cache.prepare(command, "").use()).isEqualTo(AotCache.Use.RECORD);
        String key = AotCache.keyOf(command);
        Files.write(caches.resolve(key + ".aot"), new byte[] {0});
        Files.writeString(caches.resolve(key + ".log"), "assembled\n");
        Files.writeString(caches.resolve(key + ".recorder"), "999999999\n"); // no such pid: not running
        return key;
    }

    @Test
    void prepare_afterTheJarWasRebuilt_removesEveryFileOfTheOldBuildsCache() throws IOException {
        String old = builtCache(command);
        Files.write(jar, new byte[] {1, 2, 3, 4}); // the new build

        AotCache.Prepared next = cache.prepare(command, "");

        assertThat(next.use()).isEqualTo(AotCache.Use.RECORD);
        try (var files = Files.list(caches)) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.startsWith(old))
                    .contains(AotCache.keyOf(command) + StaleAotCaches.SOURCE);
        }
    }

    @Test
    void prepare_sameJarOtherOptions_keepsTheOtherServicesCache() throws IOException {
        String other = builtCache(List.of(JAVA, "-Xmx64m", "-jar", jar.toString()));

        cache.prepare(command, "");

        assertThat(caches.resolve(other + ".aot")).exists();
    }

    @Test
    void prepare_whileTheOldBuildsAssemblyRuns_keepsIt() throws IOException {
        String old = builtCache(command);
        Files.writeString(caches.resolve(old + ".assembler"), Long.toString(ProcessHandle.current().pid()));
        Files.write(jar, new byte[] {1, 2, 3, 4});

        cache.prepare(command, "");

        assertThat(caches.resolve(old + ".aot")).exists();
    }

    @Test
    void replacedSince_onlyAFileAtTheSamePathWithAnotherSizeOrTime() {
        List<String> recorded = List.of("/srv/app.jar\t10@1000", "/jdk/lib/modules\t99@5");

        assertThat(StaleAotCaches.replacedSince(recorded, List.of("/srv/app.jar\t10@1000", "/jdk/lib/modules\t99@5")))
                .isFalse();
        assertThat(StaleAotCaches.replacedSince(recorded, List.of("/srv/other.jar\t11@2000", "/jdk/lib/modules\t99@5")))
                .isFalse();
        assertThat(StaleAotCaches.replacedSince(recorded, List.of("/srv/app.jar\t11@2000"))).isTrue();
        assertThat(StaleAotCaches.replacedSince(recorded, List.of("/srv/app.jar\t10@1000", "/jdk/lib/modules\t98@6")))
                .isTrue();
    }
}
