package dev.baton.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.jetty.testing.RawHttpConnection;
import dev.baton.jetty.testing.RawHttpConnection.RawResponse;
import dev.baton.jetty.testing.SelfSignedPem;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on a Baton listener, with a certificate and key loaded from PEM files by each generation. */
class TlsConnectorTest extends ServerTest {


    @TempDir
    static Path keys;

    private static SelfSignedPem first;
    private static SelfSignedPem second;
    private static SelfSignedPem rsa;

    @BeforeAll
    static void generateKeys() throws Exception {
        first = SelfSignedPem.generate(keys, "first", "EC");
        second = SelfSignedPem.generate(keys, "second", "EC");
        rsa = SelfSignedPem.generate(keys, "rsa", "RSA");
    }

    private static BiFunction<Server, ServerSocketChannel, ServerConnector> tls(Path certificate, Path key) {
        return (server, listener) -> BatonJetty.tlsConnector(server, listener, certificate, key);
    }

    private ProtocolServer start(String name, ServerSocketChannel listener, Path certificate, Path key)
            throws Exception {
        ProtocolServer server = new ProtocolServer(name, listener, tls(certificate, key), GRACE);
        toClose.add(server::stop);
        return server;
    }

    @Test
    void tlsConnector_selfSignedPemPair_servesHttpsOverHttp11AndH2() throws Exception {
        for (SelfSignedPem pair : List.of(first, rsa)) {
            ProtocolServer server = start("server", ProtocolServer.bound(), pair.certificate(), pair.privateKey());
            for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
                try (HttpClient client = HttpClient.newBuilder()
                        .version(version).sslContext(SelfSignedPem.trusting(pair.x509())).build()) {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port + "/")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo("ok");
                    assertThat(response.version()).as("negotiated by ALPN").isEqualTo(version);
                }
            }
        }
    }

    @Test
    void tlsConnector_keyOfAnotherPair_refusedNamingBothFiles() throws Exception {
        Server server = new Server();
        try (ServerSocketChannel listener = ProtocolServer.bound()) {
            assertThatThrownBy(() -> BatonJetty.tlsConnector(server, listener, first.certificate(), second.privateKey()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not match")
                    .hasMessageContaining(first.certificate().toString())
                    .hasMessageContaining(second.privateKey().toString());
            assertThatThrownBy(() -> BatonJetty.tlsConnector(server, listener, first.certificate(), rsa.privateKey()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(rsa.privateKey().toString())
                    .hasMessageContaining("not a EC key");
            assertThatThrownBy(() -> BatonJetty.tlsConnector(server, listener, first.privateKey(), first.privateKey()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(first.privateKey().toString())
                    .hasMessageContaining("expected PEM (BEGIN CERTIFICATE)");
            assertThat(listener.isOpen()).as("a refused connector leaves the listener to its owner").isTrue();
        }
    }

    @Test
    void upgrade_certificateFilesRenewed_successorServesTheNewCertificate() throws Throwable {
        Path certificate = keys.resolve("live.crt.pem");
        Path key = keys.resolve("live.key.pem");
        Files.copy(first.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(first.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
        ProtocolServer old = start("server", ProtocolServer.bound(), certificate, key);
        assertThat(peerCertificate(old.port).getSubjectX500Principal().getName()).isEqualTo("CN=first");

        Files.copy(second.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(second.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
        start("successor", NativeSocket.duplicateChannel(old.listener), certificate, key);
        old.drainer.drain().get(15, TimeUnit.SECONDS);

        assertThat(peerCertificate(old.port).getSubjectX500Principal().getName()).isEqualTo("CN=second");
    }

    @Test
    void drain_httpsKeptAliveConnection_answeredWithConnectionClose_sharedListenerNeverShutDown() throws Throwable {
        ProtocolServer server = start("server", ProtocolServer.bound(), first.certificate(), first.privateKey());
        RawHttpConnection client = new RawHttpConnection(tlsSocket(server.port, first.x509()));
        toClose.add(client);
        assertThat(client.exchange("/").closesConnection()).isFalse();

        try (NativeSocket successor = NativeSocket.dup(server.listener)) {
            CompletableFuture<Void> drained = server.drainer.drain();
            RawResponse during = client.exchange("/");

            assertThat(during.status()).isEqualTo(200);
            assertThat(during.closesConnection()).isTrue();
            assertThat(client.awaitClosedByServer()).isTrue();
            assertThat(drained).succeedsWithin(WAIT);
            try (Socket late = new Socket()) {
                late.connect(new InetSocketAddress("127.0.0.1", server.port), 5_000);
                assertThat(successor.acceptOne(5_000)).isTrue();
            }
        }
    }

    private static SSLSocket tlsSocket(int port, X509Certificate... trusted) throws Exception {
        SSLContext context = SelfSignedPem.trusting(trusted);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static X509Certificate peerCertificate(int port) throws Exception {
        try (SSLSocket socket = tlsSocket(port, first.x509(), second.x509())) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
