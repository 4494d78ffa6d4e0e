package dev.baton.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started with stdout or stderr closed puts the first files it reads at descriptors 1 and 2 (the
 * JDK's lib/modules, the jar): an orphaned successor must never append its output to those.
 */
class WritableDescriptorTest {

    @TempDir
    Path directory;

    /** The descriptor of this process that refers to {@code file}, from /proc/self/fd. */
    private static int descriptorOf(Path file) throws IOException {
        try (Stream<Path> links = Files.list(Path.of("/proc/self/fd"))) {
            for (Path link : links.toList()) {
                try {
                    if (Files.readSymbolicLink(link).equals(file)) {
                        return Integer.parseInt(link.getFileName().toString());
                    }
                } catch (IOException e) {
                    // the listing's own descriptor, closed meanwhile
                }
            }
        }
        throw new AssertionError("no descriptor of this process refers to " + file);
    }

    /** Opens {@code file} with {@code mode}, and returns whether it is writable and how it is named. */
    private static String openedAs(Path file, StandardOpenOption mode) throws IOException {
        try (FileChannel _ = FileChannel.open(file, mode)) {
            int fd = descriptorOf(file);
            return WritableDescriptor.isOpenForWriting("self", fd) + " " + PredecessorOutput.nameOf(fd);
        }
    }

    @Test
    void aFileReadByThisProcess_isNotWritable_andIsNamedReadOnly() throws IOException {
        Path jar = Files.writeString(directory.resolve("app.jar"), "PK");

        assertThat(openedAs(jar, StandardOpenOption.READ)).isEqualTo("false read-only " + jar);
    }

    @Test
    void aLogAppendedTo_isWritable_andIsNamedAsItIs() throws IOException {
        Path log = Files.writeString(directory.resolve("service.log"), "");

        assertThat(openedAs(log, StandardOpenOption.APPEND)).isEqualTo("true " + log);
    }

    @Test
    void aDescriptorNotOpen_isNotWritable() {
        assertThat(WritableDescriptor.isOpenForWriting("self", 1_000_000)).isFalse();
    }
}
