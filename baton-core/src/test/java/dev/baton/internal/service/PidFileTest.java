package dev.baton.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path temp;

    @Test
    void at_missingDirectory_refusedNamingIt() {
        Path missing = temp.resolve("missing");
        Path path = missing.resolve("app.pid");

        assertThatThrownBy(() -> PidFile.at(path))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot write the pidfile " + path + ": the directory " + missing
                        + " does not exist; create it or choose another pidfile");
    }

    @Test
    void at_directory_refused() throws IOException {
        Path directory = Files.createDirectory(temp.resolve("app.pid"));

        assertThatThrownBy(() -> PidFile.at(directory))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot write the pidfile " + directory + ": it is a directory");
    }

    @Test
    void at_writableDirectory_createsNothingYet() throws IOException {
        PidFile pidFile = PidFile.at(temp.resolve("app.pid"));

        assertThat(pidFile.path()).isEqualTo(temp.resolve("app.pid"));
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void write_pid_fileHoldsThePidAndANewlineAndNoTemporaryFileRemains() throws IOException {
        PidFile pidFile = PidFile.at(temp.resolve("app.pid"));

        pidFile.write(4711);
        pidFile.write(4712);

        assertThat(Files.readString(temp.resolve("app.pid"), StandardCharsets.US_ASCII)).isEqualTo("4712\n");
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files).containsExactly(temp.resolve("app.pid"));
        }
    }

    @Test
    @Timeout(10)
    void write_whileAReaderPolls_readerSeesOnlyWholePids() throws Exception {
        Path path = temp.resolve("app.pid");
        PidFile pidFile = PidFile.at(path);
        pidFile.write(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Set<String>> reader = CompletableFuture.supplyAsync(() -> {
            Set<String> seen = new HashSet<>();
            try {
                do {
                    seen.add(Files.readString(path, StandardCharsets.US_ASCII));
                } while (writing.get());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return seen;
        });

        for (int i = 0; i < 100; i++) {
            pidFile.write(i % 2 == 0 ? 1_000_000 : 2);
        }
        writing.set(false);

        assertThat(reader.get(5, TimeUnit.SECONDS)).isSubsetOf("1\n", "2\n", "1000000\n");
    }

    @Test
    void removeIfHolds_filePointsToAnotherPid_leavesIt() throws IOException {
        PidFile pidFile = PidFile.at(temp.resolve("app.pid"));
        pidFile.write(4712); // the successor rewrote it

        pidFile.removeIfHolds(4711);

        assertThat(temp.resolve("app.pid")).hasContent("4712");
    }

    @Test
    void removeIfHolds_fileHoldsThisPid_removesIt() throws IOException {
        PidFile pidFile = PidFile.at(temp.resolve("app.pid"));
        pidFile.write(4711);

        pidFile.removeIfHolds(4711);

        assertThat(temp.resolve("app.pid")).doesNotExist();
    }

    @Test
    void removeIfHolds_fileAlreadyGone_doesNothing() throws IOException {
        PidFile.at(temp.resolve("app.pid")).removeIfHolds(4711);

        assertThat(temp).isEmptyDirectory();
    }
}
