package dev.baton.testing;

import dev.baton.internal.os.Descriptor;
import dev.baton.internal.os.DescriptorPassing;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Errno;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What systemd is to a {@code Type=notify} service, for the tests: a datagram Unix socket bound where
 * {@code NOTIFY_SOCKET} points, a file path or an abstract name ({@code @name}), that records every
 * sd_notify message it receives, and keeps the descriptors sent to its store ({@code FDSTORE=1}) open.
 */
public final class SystemdNotifySocket implements AutoCloseable {

    /**
     * One sd_notify datagram.
     *
     * @param fields its {@code KEY=value} lines, in order
     * @param receivedMicros when it was received, on the monotonic clock ({@code System.nanoTime() / 1000})
     * @param descriptors the descriptors attached ({@code FDSTORE=1}), open in this process until the socket closes
     */
    public record Notification(Map<String, String> fields, long receivedMicros, List<Integer> descriptors) {

        public boolean has(String key, String value) {
            return value.equals(fields.get(key));
        }

        @Override
        public String toString() {
            return fields.toString();
        }
    }

    private static final Duration POLL = Duration.ofMillis(200);

    private final int fd;
    private final String address;
    private final List<Notification> received = new ArrayList<>();
    private final List<Descriptor> kept = new ArrayList<>();

    private SystemdNotifySocket(int fd, String address) {
        this.fd = fd;
        this.address = address;
    }

    /** Binds a notify socket at {@code path}, a file. */
    public static SystemdNotifySocket atPath(Path path) throws IOException {
        int fd = Sockets.newUnixSocket(Sockets.SOCK_DGRAM);
        try {
            Sockets.bind(fd, path);
            Sockets.setTimeouts(fd, POLL);
            return new SystemdNotifySocket(fd, path.toString());
        } catch (IOException | RuntimeException e) {
            Descriptors.closeQuietly(fd);
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** Binds a notify socket in the abstract namespace as {@code name}; {@code NOTIFY_SOCKET} is {@code @name}. */
    public static SystemdNotifySocket abstractNamed(String name) throws IOException {
        int fd = Sockets.newUnixSocket(Sockets.SOCK_DGRAM);
        try {
            Sockets.bind(fd, Path.of("@" + name));
            Sockets.setTimeouts(fd, POLL);
            return new SystemdNotifySocket(fd, "@" + name);
        } catch (IOException | RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
    }

    /** The value for {@code NOTIFY_SOCKET}. */
    public String address() {
        return address;
    }

    /**
     * Waits (at most {@code timeout}) for a message, received after the {@code after} first ones, that
     * {@code wanted} accepts; fails listing every message received otherwise.
     *
     * @return the index of that message among all received
     */
    public int await(int after, Predicate<Notification> wanted, String what, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = after; ; i++) {
            while (i >= received.size()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no " + what + " on the notify socket within " + timeout.toSeconds()
                            + " s after message " + after + "; received: " + received);
                }
                receiveOne();
            }
            if (wanted.test(received.get(i))) {
                return i;
            }
        }
    }

    /** Every message received so far. */
    public List<Notification> received() {
        return List.copyOf(received);
    }

    /** Receives whatever arrives within {@code quiet} (bounded by one minute of steady traffic). */
    public List<Notification> drain(Duration quiet) throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        int before;
        do {
            before = received.size();
            long end = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < end) {
                receiveOne();
            }
        } while (received.size() > before && System.nanoTime() < deadline);
        return received();
    }

    /** Waits one poll interval for a datagram and records it. */
    private void receiveOne() throws IOException {
        DescriptorPassing.Received datagram;
        try {
            datagram = DescriptorPassing.receive(fd, 4096, 4);
        } catch (SystemCallException e) {
            if (e.errno() == Errno.EAGAIN) {
                return;
            }
            throw e;
        }
        long now = System.nanoTime() / 1000;
        kept.addAll(datagram.fds()); // as systemd's store keeps them, until this socket closes
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : new String(datagram.data(), StandardCharsets.UTF_8).split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                fields.put(line.substring(0, equals), line.substring(equals + 1));
            } else if (!line.isEmpty()) {
                fields.put(line, "");
            }
        }
        received.add(new Notification(Map.copyOf(fields), now,
                datagram.fds().stream().map(Descriptor::number).toList()));
    }

    @Override
    public void close() throws IOException {
        Descriptor.closeAll(kept);
        Descriptors.closeQuietly(fd);
        if (!address.startsWith("@")) {
            Files.deleteIfExists(Path.of(address));
        }
    }
}
