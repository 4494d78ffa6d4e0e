package dev.baton.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.netty.testing.InFlightRequest;
import dev.baton.netty.testing.NettyTestServer;
import dev.baton.netty.testing.SelfSignedPair;
import dev.baton.netty.testing.SharedSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HTTPS from PEM files, with ALPN, and its drain over h2. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {

    @TempDir
    Path directory;

    @Test
    void tls_keyOfAnotherCertificate_refusedNamingBothFiles() throws Exception {
        SelfSignedPair server = SelfSignedPair.create(directory, "server");
        SelfSignedPair other = SelfSignedPair.create(directory, "other");

        assertThatThrownBy(() -> BatonNetty.tls(server.certificate(), other.key()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(other.key().toString())
                .hasMessageContaining(server.certificate().toString())
                .hasMessageContaining("does not match");
    }

    @Test
    void tls_keyFileWithoutAKey_refusedNamingTheFile() throws Exception {
        SelfSignedPair server = SelfSignedPair.create(directory, "server");

        assertThatThrownBy(() -> BatonNetty.tls(server.certificate(), server.certificate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(server.certificate().toString())
                .hasMessageContaining("PKCS#8");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drain_h2OverTlsRequestInFlight_finishes(Transport transport) throws Exception {
        SelfSignedPair pair = SelfSignedPair.create(directory, "server");
        try (NettyTestServer server = new NettyTestServer(transport, SharedSocket.loopbackListener(), "tls",
                        BatonNetty.tls(pair.certificate(), pair.key()));
                HttpClient client = HttpClient.newBuilder().sslContext(pair.clientContext())
                        .version(HttpClient.Version.HTTP_2).build()) {
            // h2 chosen by ALPN.
            InFlightRequest.survivesTheDrain(server, client, "https", HttpClient.Version.HTTP_2);
        }
    }
}
