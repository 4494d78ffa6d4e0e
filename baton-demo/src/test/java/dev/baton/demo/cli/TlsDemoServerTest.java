package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code demo-server --tls-cert --tls-key} as a real process: HTTPS with h2 by ALPN, across a SIGHUP
 * upgrade (the new generation reads the files again), and a key that does not match its certificate
 * refused with both files named. The self-signed pairs are made by {@code openssl}.
 */
class TlsDemoServerTest {

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty"})
    void tlsServer_answersH2ByAlpn_andAfterASighupUpgrade(String server) throws Exception {
        Path certificate = directory.resolve("demo.crt.pem");
        Path key = directory.resolve("demo.key.pem");
        selfSigned(certificate, key);
        try (DemoServerRun run = DemoServerRun.start(directory, "--server", server, "--tls-cert", certificate.toString(),
                "--tls-key", key.toString());
                HttpClient client = HttpClient.newBuilder().sslContext(trusting(certificate))
                        .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpRequest get = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + run.port + "/"))
                    .timeout(Duration.ofSeconds(20)).build();
            HttpResponse<String> before = client.send(get, HttpResponse.BodyHandlers.ofString());
            long successor = run.upgradeBySighup();
            // the kept-alive h2 connection stays with the old generation through its probation, until its GOAWAY
            HttpResponse<String> after = await("an answer from the successor").atMost(Duration.ofSeconds(60))
                    .until(() -> client.send(get, HttpResponse.BodyHandlers.ofString()),
                            response -> response.body().contains("pid=" + successor + " "));

            assertThat(before.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(before.body()).contains("generation=1");
            assertThat(after.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(after.body()).contains("pid=" + successor + " ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty"})
    void tlsKeyOfAnotherCertificate_isRefused_namingBothFiles(String server) throws Exception {
        Path certificate = directory.resolve("demo.crt.pem");
        Path otherKey = directory.resolve("other.key.pem");
        selfSigned(certificate, directory.resolve("demo.key.pem"));
        selfSigned(directory.resolve("other.crt.pem"), otherKey);

        assertThatThrownBy(() -> DemoServerRun.start(directory, "--server", server, "--tls-cert",
                certificate.toString(), "--tls-key", otherKey.toString()).close())
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("does not match")
                .hasMessageContaining(certificate.toString())
                .hasMessageContaining(otherKey.toString());
    }

    private static void selfSigned(Path certificate, Path key) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", certificate.toString())
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            openssl.destroyForcibly();
            throw new AssertionError("openssl req failed: " + output);
        }
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("demo", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
