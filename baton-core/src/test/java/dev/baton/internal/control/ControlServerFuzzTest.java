package dev.baton.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import dev.baton.internal.os.DescriptorPassing;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Pipes;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.MessageCodec;
import dev.baton.testing.OpenDescriptors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A real {@link ControlServer} on a real control socket, serving a {@link ControlDispatcher} over a test
 * double of the service, fed any sequence of client actions: connect, send a packet of any bytes or a
 * valid message, either with descriptors attached (a pipe's ends), send a packet larger than any
 * message, read what came back, hang up. After each input the server must still answer a status request
 * on a new connection, and once every client has hung up this process must hold exactly the
 * descriptors it held before the input: whatever the server received and did not expect, it closed.
 *
 * <p>An input is a script read byte by byte (see {@link Script}), so that the seeds beside this class
 * ({@code ControlServerFuzzTestInputs}) can be written by hand. Every test run replays them;
 * {@code JAZZER_FUZZ=1 ./mvnw -pl baton-core test -Dtest=ControlServerFuzzTest} fuzzes for the duration
 * below.
 */
class ControlServerFuzzTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String NAME = "fuzz";
    private static final int MAX_CLIENTS = 4;
    /** How long every client's hang-up may take to reach the server's close, polled, not slept. */
    private static final long SETTLE_NANOS = Duration.ofSeconds(10).toNanos();

    private static Path temp;
    private static Path path;
    private static ControlServer server;

    /** Valid requests and replies, so that the fuzzer reaches the dispatcher without guessing the codec. */
    private static final List<Message> MESSAGES = List.of(
            new Message.StatusRequest(),
            new Message.ReloadRequest(),
            new Message.StopRequest(false),
            new Message.StopRequest(true),
            new Message.DrainReport(1, 4711, 250, 2),
            new Message.HandoverRequest(4711),
            new Message.UpgradeSupervisorRequest(),
            new Message.Handover(NAME, 2, List.of(), List.of()),
            new Message.ReadyNotice(List.of()),
            new Message.StopAck(4711),
            new Message.Refused("no"));

    @BeforeAll
    static void startServer() throws IOException {
        temp = Files.createTempDirectory("baton-control-fuzz");
        Path directory = temp.resolve("ctl");
        ControlSocket.prepareDirectory(directory);
        path = ControlSocket.path(directory, NAME);
        HandoverHandler refuseHandover = (channel, peer, request) ->
                channel.send(new Message.Refused("this test hands over nothing"));
        server = ControlServer.start(ControlSocket.bind(path, NAME),
                new ControlDispatcher(new IdleService(), refuseHandover), TIMEOUT, "[fuzz] ");
        // Every lazily opened descriptor (the workers' first use, the JIT's) before the first baseline.
        assertStatusAnswered();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(temp)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void serve_anyClientActions_stillAnswersAndKeepsNoDescriptor(byte[] input) throws IOException {
        Map<Integer, String> before = OpenDescriptors.snapshot();
        List<Integer> clients = new ArrayList<>();
        try {
            new Script(input, clients).run();
        } finally {
            clients.forEach(Descriptors::closeQuietly);
        }
        assertStatusAnswered();
        assertDescriptorsBackTo(before);
    }

    private static void assertStatusAnswered() throws IOException {
        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(client.request(new Message.StatusRequest(), TIMEOUT))
                    .isEqualTo(new Message.StatusReply(IdleService.STATUS));
        }
    }

    /** Polls until every descriptor opened during the input is closed again: the server closes on its own threads. */
    private static void assertDescriptorsBackTo(Map<Integer, String> before) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        List<String> opened = OpenDescriptors.openedSince(before);
        while (!opened.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.yield();
            opened = OpenDescriptors.openedSince(before);
        }
        assertThat(opened).as("descriptors still open after every client hung up").isEmpty();
    }

    /**
     * Reads the input as actions, each an opcode byte and its operands, until the input runs out:
     * <ul>
     *   <li>{@code 0} connect a new client (at most {@value #MAX_CLIENTS});
     *   <li>{@code 1 c f n₁ n₂ bytes…} client {@code c} sends the next {@code n₁n₂} bytes (big-endian) as
     *       one packet with {@code f % 4} descriptors (pipe ends) attached;
     *   <li>{@code 2 c f m} client {@code c} sends valid message {@code m} with {@code f % 4} descriptors;
     *   <li>{@code 3 c f e} client {@code c} sends a packet {@code e} bytes past the largest message,
     *       starting like a status request;
     *   <li>{@code 4 c} client {@code c} hangs up;
     *   <li>{@code 5 c} client {@code c} reads whatever is waiting, closing any descriptors that came.
     * </ul>
     * A client index is taken modulo the clients connected; an action on no client connects one first.
     */
    private record Script(ByteBuffer in, List<Integer> clients) {

        Script(byte[] input, List<Integer> clients) {
            this(ByteBuffer.wrap(input), clients);
        }

        void run() throws IOException {
            while (in.hasRemaining()) {
                int op = Byte.toUnsignedInt(in.get()) % 6;
                switch (op) {
                    case 0 -> connect();
                    case 1 -> {
                        int client = client();
                        int fds = next() % 4;
                        int length = Math.min((next() << 8) | next(), in.remaining());
                        byte[] packet = new byte[length];
                        in.get(packet);
                        send(client, packet, fds);
                    }
                    case 2 -> {
                        int client = client();
                        int fds = next() % 4;
                        send(client, MessageCodec.encode(MESSAGES.get(next() % MESSAGES.size())), fds);
                    }
                    case 3 -> {
                        int client = client();
                        int fds = next() % 4;
                        byte[] status = MessageCodec.encode(new Message.StatusRequest());
                        send(client, Arrays.copyOf(status, MessageCodec.MAX_MESSAGE_BYTES + 1 + next()), fds);
                    }
                    case 4 -> {
                        int client = client();
                        Descriptors.closeQuietly(clients.remove(client));
                    }
                    default -> drain(clients.get(client()));
                }
            }
        }

        private int next() {
            return in.hasRemaining() ? Byte.toUnsignedInt(in.get()) : 0;
        }

        /** The index of the client the next byte names, connecting one if none is. */
        private int client() throws IOException {
            if (clients.isEmpty()) {
                connect();
            }
            return next() % clients.size();
        }

        private void connect() throws IOException {
            if (clients.size() >= MAX_CLIENTS) {
                return;
            }
            int fd = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
            try {
                Sockets.setTimeouts(fd, TIMEOUT);
                Sockets.connect(fd, path);
            } catch (IOException e) {
                Descriptors.closeQuietly(fd);
                throw e;
            }
            clients.add(fd);
        }

        /** Sends {@code packet} with {@code count} pipe ends attached, which stay open here only for the send. */
        private void send(int client, byte[] packet, int count) throws IOException {
            int[] attached = new int[count];
            int made = 0;
            try {
                while (made < count) {
                    int[] pipe = Pipes.newPipe();
                    attached[made++] = pipe[0];
                    if (made < count) {
                        attached[made++] = pipe[1];
                    } else {
                        Descriptors.closeQuietly(pipe[1]);
                    }
                }
                DescriptorPassing.send(clients.get(client), packet, attached);
            } catch (IOException ignored) {
                // the server hung up (a refusal) or the packet is too large: the peer's answer to bad input
            } finally {
                OpenDescriptors.closeAll(Arrays.copyOf(attached, made));
            }
        }

        /** Reads every packet waiting on {@code fd} now, without waiting, closing what descriptors came with them. */
        private static void drain(int fd) {
            try {
                while (Descriptors.awaitReadable(new int[] {fd}, Duration.ZERO) >= 0) {
                    DescriptorPassing.Received received =
                            DescriptorPassing.receive(fd, MessageCodec.MAX_MESSAGE_BYTES, MessageCodec.MAX_DESCRIPTORS);
                    received.closeDescriptors();
                    if (received.endOfStream()) {
                        return;
                    }
                }
            } catch (IOException e) {
                // reset by the server after a refusal: nothing more to read
            }
        }
    }

    /** A service that answers and does nothing: the test is of the server, not of an upgrade. */
    private static final class IdleService implements ControlledService {

        static final ServiceStatus STATUS = new ServiceStatus(ProcessHandle.current().pid(), NAME,
                ServiceStatus.Mode.IN_PROCESS, ServiceStatus.State.SERVING, List.of("http=:8080"), List.of(), "none");

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public UpgradeResult reload(String trigger) {
            return new UpgradeResult(UpgradeResult.Outcome.REFUSED, pid(), 0, 0, Duration.ZERO,
                    "this test upgrades nothing", List.of());
        }

        @Override
        public ServiceStatus status() {
            return STATUS;
        }

        @Override
        public void stop(boolean now, String trigger) {}
    }
}
