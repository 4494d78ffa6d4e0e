package dev.baton.jetty.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost with its private key, as two PEM files
 * (certificate, PKCS#8 key), made by the JDK's {@code keytool}: the TLS material of the adapter tests.
 *
 * @param certificate the PEM certificate file
 * @param privateKey the PEM PKCS#8 private key file
 * @param x509 the certificate itself, for clients to trust
 */
public record SelfSignedPem(Path certificate, Path privateKey, X509Certificate x509) {

    private static final String PASSWORD = "changeit";

    /**
     * Generates a key pair and a self-signed certificate with the common name given, in {@code dir}.
     *
     * @param keyAlgorithm {@code EC} (P-256) or {@code RSA} (2048 bits)
     */
    public static SelfSignedPem generate(Path dir, String commonName, String keyAlgorithm) throws Exception {
        Path store = dir.resolve(commonName + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", commonName,
                        "-keyalg", keyAlgorithm, "-keysize", keyAlgorithm.equals("RSA") ? "2048" : "256",
                        "-dname", "CN=" + commonName, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } finally {
            process.destroyForcibly();
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        Key key = keys.getKey(commonName, PASSWORD.toCharArray());
        X509Certificate x509 = (X509Certificate) keys.getCertificate(commonName);
        Path certificate = dir.resolve(commonName + ".crt.pem");
        Path privateKey = dir.resolve(commonName + ".key.pem");
        Files.writeString(certificate, pem("CERTIFICATE", x509.getEncoded()));
        Files.writeString(privateKey, pem("PRIVATE KEY", key.getEncoded())); // PKCS#8, the JDK's encoding
        return new SelfSignedPem(certificate, privateKey, x509);
    }

    /** A client TLS context that trusts the given certificates only. */
    public static SSLContext trusting(Certificate... certificates) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trusted.setCertificateEntry("trusted-" + i, certificates[i]);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
