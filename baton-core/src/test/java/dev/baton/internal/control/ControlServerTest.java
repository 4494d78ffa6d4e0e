package dev.baton.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.BatonControl;
import dev.baton.ServiceStatus;
import dev.baton.internal.os.Descriptor;
import dev.baton.internal.os.DescriptorPassing;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.os.Processes;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.Message.Refused;
import dev.baton.internal.protocol.Message.StatusReply;
import dev.baton.internal.protocol.Message.StatusRequest;
import dev.baton.internal.protocol.MessageCodec;
import dev.baton.testing.OpenDescriptors;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A {@link ControlServer} on a real control socket, with clients of this user and of another. */
@Timeout(value = 15, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ControlServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String NAME = "svc";
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @TempDir
    Path temp;

    private Path directory;
    private Path path;
    private ControlServer server;
    private final List<Message> served = new CopyOnWriteArrayList<>();
    private final List<PeerCredentials> peers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void prepareDirectory() throws IOException {
        directory = temp.resolve("ctl");
        ControlSocket.prepareDirectory(directory);
        path = ControlSocket.path(directory, NAME);
    }

    @AfterEach
    void stopServer() {
        closeServer();
    }

    /** Closes the server once: a second close() is unsafe (see the disabled test below). */
    private void closeServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private ControlServer startServer() throws IOException {
        server = ControlServer.start(ControlSocket.bind(path, NAME), this::answer, TIMEOUT, "[test] ");
        return server;
    }

    private void answer(ControlChannel channel, PeerCredentials peer, Message request) throws IOException {
        served.add(request);
        peers.add(peer);
        switch (request) {
            case StatusRequest _ -> channel.send(status());
            default -> channel.send(new Refused("unexpected " + request.getClass().getSimpleName()));
        }
    }

    private static StatusReply status() {
        return new StatusReply(new ServiceStatus(ProcessHandle.current().pid(), NAME, ServiceStatus.Mode.IN_PROCESS,
                ServiceStatus.State.SERVING, List.of("http=:8080"), List.of(), "none"));
    }

    @Test
    void serve_noThreadLeftForARequest_refusesThatOneSayingWhy_andServesTheNext() throws IOException {
        java.util.concurrent.atomic.AtomicBoolean exhausted = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ThreadFactory threads = task -> {
            if (exhausted.get()) { // as Thread.start() fails at RLIMIT_NPROC or a cgroup's pids.max
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource "
                        + "limits reached");
            }
            return Thread.ofPlatform().daemon().unstarted(task);
        };
        server = ControlServer.start(ControlSocket.bind(path, NAME), this::answer, TIMEOUT, "[test] ", threads);

        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(client.request(new StatusRequest(), TIMEOUT)).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.type(Refused.class)).extracting(Refused::reason)
                    .asString().contains("cannot start a thread to serve it", "RLIMIT_NPROC");
        }
        exhausted.set(false);
        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(client.request(new StatusRequest(), TIMEOUT)).isEqualTo(status());
        }
    }

    @Test
    void serve_requestFromTheSameUser_answeredByTheHandlerWithThePeersCredentials() throws IOException {
        startServer();

        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(client.request(new StatusRequest(), TIMEOUT)).isEqualTo(status());
        }

        assertThat(served).containsExactly(new StatusRequest());
        assertThat(peers).containsExactly(
                new PeerCredentials(ProcessHandle.current().pid(), Processes.userId(), peers.getFirst().gid()));
    }

    @Test
    void reload_serviceClosesTheConnectionWithoutAResult_clientSaysItStoppedOrDied() throws IOException {
        server = ControlServer.start(ControlSocket.bind(path, NAME), (channel, peer, request) -> {}, TIMEOUT, "[test] ");

        assertThatThrownBy(() -> BatonControl.at(path).reload(TIMEOUT))
                .isInstanceOf(EOFException.class)
                .hasMessage("the service closed the control connection before it said how the reload went: it "
                        + "stopped or died meanwhile; 'baton status' shows what serves now");
    }

    @Test
    void serve_manyClientsAtOnce_answersEach() throws Exception {
        startServer();
        List<ControlChannel> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                ControlChannel client = ControlChannel.connect(path, TIMEOUT);
                clients.add(client);
                client.send(new StatusRequest());
            }
            for (ControlChannel client : clients) {
                assertThat(client.receiveMessage(TIMEOUT)).isEqualTo(status());
            }
        } finally {
            clients.forEach(ControlChannel::close);
        }
    }

    @Test
    void serve_peerOfAnotherUser_refusedNamingItsUidWithoutCallingTheHandler() throws Exception {
        Assumptions.assumeTrue(Processes.userId() == 0, "needs root to run a client as uid 65534");
        Assumptions.assumeTrue(Files.isExecutable(PYTHON) && Files.isExecutable(SETPRIV),
                "needs " + PYTHON + " and " + SETPRIV + " (util-linux)");
        startServer();
        // Let uid 65534 reach the socket, so that the server's uid check is what refuses it.
        for (Path dir : List.of(temp, directory)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
        String client = """
                import socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                s.settimeout(5)
                s.connect(sys.argv[1])
                print(s.recv(65536).hex())
                """;
        Process process = new ProcessBuilder(SETPRIV.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                PYTHON.toString(), "-c", client, path.toString())
                .redirectErrorStream(true)
                .start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }

        assertThat(process.exitValue()).as("client output: %s", output).isZero();
        assertThat(MessageCodec.decode(HexFormat.of().parseHex(output))).isEqualTo(new Refused(
                "permission denied: uid 65534 may not control this service, which belongs to uid 0"));
        assertThat(served).isEmpty();
    }

    @Test
    void serve_malformedFirstPacket_refusedAsBadRequestAndTheNextConnectionIsServed() throws IOException {
        startServer();

        try (ControlChannel raw = rawClient()) {
            DescriptorPassing.send(rawFd, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), new int[0]);
            Message reply = raw.receiveMessage(TIMEOUT);
            assertThat(reply).isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.reason())
                    .startsWith("bad request: not a Baton control message (starts with 0x4745, expected 0x4254)"));
        }
        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(client.request(new StatusRequest(), TIMEOUT)).isEqualTo(status());
        }
        assertThat(served).containsExactly(new StatusRequest());
    }

    @Test
    void serve_badFirstPacketWithDescriptors_refusedAndTheServerKeepsNoneOfThem() throws IOException {
        startServer();
        try (ControlChannel warmUp = ControlChannel.connect(path, TIMEOUT)) {
            warmUp.request(new StatusRequest(), TIMEOUT);
        }
        Map<Integer, String> before = OpenDescriptors.snapshot();

        try (ControlChannel raw = rawClient()) {
            int[] attached = {Descriptors.duplicate(1, 10), Descriptors.duplicate(2, 10)};
            DescriptorPassing.send(rawFd, MessageCodec.encode(new StatusRequest()), attached);
            OpenDescriptors.closeAll(attached);
            assertThat(raw.receiveMessage(TIMEOUT)).isEqualTo(
                    new Refused("bad request: a StatusRequest message came with 2 descriptors; it carries 0"));
            assertThatThrownBy(() -> raw.receive(TIMEOUT)).isInstanceOf(EOFException.class); // the server hung up
        }

        await().atMost(5, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThat(OpenDescriptors.openedSince(before)).isEmpty());
        assertThat(served).containsExactly(new StatusRequest());
    }

    @Test
    void serve_clientSendsNothing_refusedAfterTheTimeout() throws IOException {
        server = ControlServer.start(ControlSocket.bind(path, NAME), this::answer, Duration.ofMillis(200), "[test] ");

        try (ControlChannel silent = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(silent.receiveMessage(TIMEOUT))
                    .isEqualTo(new Refused("bad request: no control message within 200 ms"));
        }
        assertThat(served).isEmpty();
    }

    @Test
    void close_stopsAcceptingAndClosesItsDescriptors() throws IOException {
        Map<Integer, String> before = OpenDescriptors.snapshot();
        startServer();
        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(client.request(new StatusRequest(), TIMEOUT)).isEqualTo(status());
        }

        closeServer();

        await().atMost(5, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThat(OpenDescriptors.openedSince(before)).isEmpty());
        assertThatThrownBy(() -> ControlChannel.connect(path, TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nothing is listening on the control socket " + path);
    }

    @Test
    void close_sharedListeningSocket_leavesItToTheOtherHolder() throws IOException {
        startServer();
        int otherHolder = Descriptors.duplicate(server.descriptor(), 10);
        try {
            closeServer();

            try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
                assertThat(client.peer().pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(Descriptors.awaitReadable(new int[] {otherHolder}, TIMEOUT)).isZero();
                assertThat(Sockets.isListening(otherHolder)).isTrue();
            }
        } finally {
            Descriptors.close(otherHolder);
        }
    }

    @Test
    void close_fromTheHandler_returnsAtOnceAndTheReplyIsStillSent() throws IOException {
        server = ControlServer.start(ControlSocket.bind(path, NAME), (channel, peer, request) -> {
            server.close();
            channel.send(new Message.StopAck(ProcessHandle.current().pid()));
        }, TIMEOUT, "[test] ");

        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(client.request(new Message.StopRequest(false), TIMEOUT))
                    .isEqualTo(new Message.StopAck(ProcessHandle.current().pid()));
        }
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThatThrownBy(() -> ControlChannel.connect(path, TIMEOUT))
                .hasMessageContaining("nothing is listening"));
        server = null; // closed by the handler; a second close() is unsafe
    }

    @Test
    void pause_connectionWaitsInTheQueueUntilResume() throws IOException {
        startServer();
        server.pause();

        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            client.send(new StatusRequest());
            assertThatThrownBy(() -> client.receive(Duration.ofMillis(300)))
                    .as("not served while paused").isInstanceOf(java.net.SocketTimeoutException.class);

            server.resume();

            assertThat(client.receiveMessage(TIMEOUT)).isEqualTo(status());
        }
    }

    @Test
    void close_calledTwice_writesNothingToADescriptorThatReusedTheEventFdNumber() throws IOException {
        int listenFd = ControlSocket.bind(path, NAME);
        Set<Integer> beforeStart = OpenDescriptors.snapshot().keySet();
        server = ControlServer.start(listenFd, this::answer, TIMEOUT, "[test] ");
        Set<Integer> opened = new java.util.TreeSet<>(OpenDescriptors.snapshot().keySet());
        opened.removeAll(beforeStart);
        assertThat(opened).as("the server's wake eventfd, and the spare it keeps for EMFILE").hasSize(2);
        int eventFd = opened.iterator().next(); // the wake eventfd: made first, so the lower number
        int[] pair = Sockets.newUnixSocketPair(Sockets.SOCK_STREAM);
        server.close();
        int reused = Descriptors.duplicate(pair[0], eventFd);
        try {
            assertThat(reused).as("a new descriptor took the eventfd's number").isEqualTo(eventFd);

            server.close();

            assertThat(Descriptors.awaitReadable(new int[] {pair[1]}, Duration.ofMillis(200)))
                    .as("bytes written into the descriptor that reused the number").isEqualTo(-1);
        } finally {
            server = null;
            OpenDescriptors.closeAll(reused, pair[0], pair[1]);
        }
    }

    @Test
    void serve_idleClientsConnected_handoverAnsweredAtOnceOnAThreadOfItsOwn() throws IOException {
        List<String> threads = new CopyOnWriteArrayList<>();
        server = ControlServer.start(ControlSocket.bind(path, NAME), (channel, peer, request) -> {
            threads.add(Thread.currentThread().getName() + (Thread.currentThread().isVirtual() ? " (virtual)" : ""));
            channel.send(new Refused("served " + request.getClass().getSimpleName()));
        }, TIMEOUT, "[test] ");
        List<ControlChannel> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                idle.add(ControlChannel.connect(path, TIMEOUT));
            }
            try (ControlChannel successor = ControlChannel.connect(path, TIMEOUT)) {
                assertThat(successor.request(new Message.HandoverRequest(1), Duration.ofSeconds(1)))
                        .isEqualTo(new Refused("served HandoverRequest"));
            }
        } finally {
            idle.forEach(ControlChannel::close);
        }
        assertThat(threads).containsExactly("baton-handover");
    }

    @Test
    void serve_idleClients_leaveTheApplicationsVirtualThreadsFree() throws Exception {
        startServer();
        List<ControlChannel> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors(); i++) {
                idle.add(ControlChannel.connect(path, TIMEOUT));
            }
            long start = System.nanoTime();
            try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 100; i++) {
                    executor.submit(() -> {
                        Thread.sleep(1);
                        return null;
                    });
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("100 short virtual threads beside idle control clients").isLessThan(Duration.ofSeconds(2));
            try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
                assertThat(client.request(new StatusRequest(), TIMEOUT)).isEqualTo(status());
            }
        } finally {
            idle.forEach(ControlChannel::close);
        }
    }

    @Test
    void serve_moreConnectionsThanTheBound_theNextRefusedAsTooMany() throws IOException {
        startServer();
        List<ControlChannel> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < ControlServer.MAX_CONNECTIONS; i++) {
                idle.add(ControlChannel.connect(path, TIMEOUT));
            }
            try (ControlChannel oneTooMany = ControlChannel.connect(path, TIMEOUT)) {
                assertThat(oneTooMany.receiveMessage(TIMEOUT)).isEqualTo(new Refused(
                        "too many control connections (at most " + ControlServer.MAX_CONNECTIONS + " at once); try again"));
            }
        } finally {
            idle.forEach(ControlChannel::close);
        }
        try (ControlChannel client = ControlChannel.connect(path, TIMEOUT)) {
            assertThat(client.request(new StatusRequest(), TIMEOUT)).isEqualTo(status());
        }
    }

    private int rawFd;

    /** A client that can send raw packets (through {@link #rawFd}). */
    private ControlChannel rawClient() throws IOException {
        rawFd = Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET);
        try {
            Sockets.connect(rawFd, path);
        } catch (IOException e) {
            Descriptors.closeQuietly(rawFd);
            throw e;
        }
        return ControlChannel.of(Descriptor.own(rawFd, "a raw client"), TIMEOUT);
    }
}
