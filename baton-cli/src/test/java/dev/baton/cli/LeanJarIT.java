package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The built {@code baton} command (target/baton-cli.jar and the jars its manifest's Class-Path names,
 * in target/lib) holds the CLI, the core, the supervisor and picocli, and nothing of Jetty, the load
 * generator or the demo: those are in the demo's own jar. Runs after the package phase.
 */
class LeanJarIT {

    private static final Path TARGET = Path.of("target");
    private static final List<String> FORBIDDEN = List.of("org/eclipse/jetty/", "dev/baton/load/", "dev/baton/demo/",
            "org/slf4j/");

    @Test
    void cliJar_classPath_isTheCoreTheSupervisorAndPicocliAlone() throws IOException {
        assertThat(classPath()).containsExactlyInAnyOrder("lib/baton-core.jar", "lib/baton-supervisor.jar",
                "lib/picocli.jar");
        try (Stream<Path> lib = Files.list(TARGET.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("baton-core.jar", "baton-supervisor.jar", "picocli.jar");
        }
    }

    @Test
    void cliJarAndItsClassPath_holdNoJettyNoLoadGeneratorNoDemoClass() throws IOException {
        List<Path> jars = new ArrayList<>(List.of(TARGET.resolve("baton-cli.jar")));
        classPath().forEach(entry -> jars.add(TARGET.resolve(entry)));
        List<String> entries = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                file.stream().map(e -> jar.getFileName() + "!" + e.getName()).forEach(entries::add);
            }
        }

        assertThat(entries).as("classes of the CLI, the core, the supervisor")
                .anyMatch(e -> e.endsWith("!dev/baton/cli/BatonCli.class"))
                .anyMatch(e -> e.endsWith("!dev/baton/Baton.class"))
                .anyMatch(e -> e.endsWith("!dev/baton/supervisor/Supervisor.class"));
        assertThat(entries).as("nothing of Jetty, the load generator, the demo or SLF4J")
                .noneMatch(e -> FORBIDDEN.stream().anyMatch(e.substring(e.indexOf('!') + 1)::startsWith));
    }

    private static List<String> classPath() throws IOException {
        try (JarFile cli = new JarFile(TARGET.resolve("baton-cli.jar").toFile())) {
            String classPath = cli.getManifest().getMainAttributes().getValue("Class-Path");
            return Arrays.asList(classPath.strip().split("\\s+"));
        }
    }
}
