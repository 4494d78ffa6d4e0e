package dev.baton.internal.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutableSearchTest {

    @TempDir
    Path directory;

    @Test
    void find_nameWithSlash_isItselfUnsearched() {
        assertThat(ExecutableSearch.find("./nowhere/java", "/usr/bin")).contains(Path.of("./nowhere/java"));
    }

    @Test
    void find_bareName_skipsWhatIsNotARegularExecutableFile() throws IOException {
        Path notExecutable = Files.createDirectories(directory.resolve("a")).resolve("tool");
        Files.writeString(notExecutable, "#!/bin/sh\n");
        Files.createDirectories(directory.resolve("b/tool")); // a directory of that name
        Path executable = Files.createDirectories(directory.resolve("c")).resolve("tool");
        Files.writeString(executable, "#!/bin/sh\n");
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));

        String path = directory.resolve("a") + ":" + directory.resolve("b") + ":" + directory.resolve("c");

        assertThat(ExecutableSearch.find("tool", path)).contains(executable);
    }

    @Test
    void find_bareNameNowhere_isEmpty() {
        assertThat(ExecutableSearch.find("tool", directory.toString())).isEmpty();
    }

    @Test
    void find_noPath_searchesTheDefault() {
        assertThat(ExecutableSearch.find("sh", null)).hasValueSatisfying(sh -> assertThat(sh).isExecutable());
        assertThat(ExecutableSearch.searched("")).isEqualTo(ExecutableSearch.DEFAULT_PATH);
    }
}
