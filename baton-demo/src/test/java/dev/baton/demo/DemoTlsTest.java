package dev.baton.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.netty.BatonNetty;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The demo job's throwaway TLS pair, made by openssl and by the JDK's keytool (for a machine without openssl). */
class DemoTlsTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(DemoTls.Maker.class)
    void throwaway_isAPemPairForTheLoopbackAddressThatTheServersAccept_andEachPairIsANewOne(DemoTls.Maker maker)
            throws Exception {
        DemoTls pair = DemoTls.throwaway(directory.resolve("first"), maker);
        DemoTls another = DemoTls.throwaway(directory.resolve("second"), maker);

        assertThat(Files.readString(pair.certificate())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(pair.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        BatonNetty.tls(pair.certificate(), pair.privateKey()); // throws if the key does not match
        assertThat(pair.trustingClientContext()).isNotNull();
        try (InputStream in = Files.newInputStream(pair.certificate())) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            assertThat(certificate.getSubjectAlternativeNames()).contains(List.of(7, "127.0.0.1"));
        }
        assertThatThrownBy(() -> BatonNetty.tls(pair.certificate(), another.privateKey()))
                .hasMessageContaining("does not match");
    }
}
