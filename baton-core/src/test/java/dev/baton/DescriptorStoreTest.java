package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.internal.service.DescriptorStore;
import dev.baton.testing.SystemdNotifySocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process mode under a unit with a file descriptor store: the generation that bound the listener
 * hands it to systemd's store ({@code FDSTORE=1}, {@code FDNAME=http}) before {@code READY=1}; a successor,
 * which inherits it, stores nothing again; without {@code $FDSTORE} nothing is sent. The notify socket is
 * real; the test plays systemd.
 */
class DescriptorStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private FakeGenerations service;

    @AfterEach
    void stopEverything() {
        if (service != null) {
            service.stopAll();
        }
    }

    @Test
    void coldStart_withAStore_storesItsListenerBeforeReady_aSuccessorStoresNothingAgain() throws IOException {
        try (SystemdNotifySocket systemd = SystemdNotifySocket.atPath(temp.resolve("notify.sock"))) {
            service = new FakeGenerations(FakeGenerations.options(temp), FakeServer::idle);
            Lifecycle first = service.coldStart(Map.of("NOTIFY_SOCKET", systemd.address(),
                    DescriptorStore.VARIABLE, "2"));

            int stored = systemd.await(0, n -> n.has("FDSTORE", "1"), "FDSTORE=1", WAIT);
            int ready = systemd.await(0, n -> n.has("READY", "1"), "READY=1", WAIT);
            SystemdNotifySocket.Notification store = systemd.received().get(stored);
            assertThat(store.fields()).containsEntry("FDNAME", "http");
            assertThat(store.descriptors()).hasSize(1);
            assertThat(socket(store.descriptors().getFirst()))
                    .isEqualTo(socket(first.listeners().get("http").orElseThrow().descriptor()));
            assertThat(stored).as("stored before READY=1").isLessThan(ready);

            assertThat(first.upgrade("the test").succeeded()).isTrue();
            assertThat(systemd.drain(Duration.ofMillis(300))).as("nothing stored twice")
                    .filteredOn(n -> n.has("FDSTORE", "1")).hasSize(1);
        }
    }

    @Test
    void coldStart_withoutAStore_sendsNoDescriptor() throws IOException {
        try (SystemdNotifySocket systemd = SystemdNotifySocket.atPath(temp.resolve("notify.sock"))) {
            service = new FakeGenerations(FakeGenerations.options(temp), FakeServer::idle);
            service.coldStart(Map.of("NOTIFY_SOCKET", systemd.address()));

            systemd.await(0, n -> n.has("READY", "1"), "READY=1", WAIT);
            assertThat(systemd.received()).noneMatch(n -> n.has("FDSTORE", "1"))
                    .allMatch(n -> n.descriptors().isEmpty());
        }
    }

    /** {@code socket:[inode]} of this process's {@code fd}: the same for two descriptors of one socket. */
    private static String socket(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }
}
