package dev.baton.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The demo server's TLS material: a PEM certificate chain and its PEM (PKCS#8) private key, read
 * again by every generation, so that a renewed certificate is served after a reload.
 *
 * @param certificate the PEM certificate chain, the server's certificate first
 * @param privateKey the PEM private key of that certificate
 */
public record DemoTls(Path certificate, Path privateKey) {

    public DemoTls {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * The TLS material of {@code --tls-cert} and {@code --tls-key}, or {@code null} when neither is given.
     *
     * @throws IllegalArgumentException if only one is given, or a file does not exist
     */
    public static DemoTls of(Path certificate, Path privateKey) {
        if (certificate == null && privateKey == null) {
            return null;
        }
        if (certificate == null || privateKey == null) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both PEM files, or neither "
                    + "for cleartext");
        }
        for (Path file : new Path[] {certificate, privateKey}) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read TLS file " + file + ": it does not exist or is not "
                        + "readable");
            }
        }
        return new DemoTls(certificate, privateKey);
    }

    /** What makes a throwaway pair: {@code openssl} where it is on the PATH, else the JDK's {@code keytool}. */
    enum Maker {
        OPENSSL, KEYTOOL;

        static Maker available() {
            for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "openssl"))) {
                    return OPENSSL;
                }
            }
            return KEYTOOL;
        }
    }

    private static final String SUBJECT = "CN=127.0.0.1";
    private static final String PASSWORD = "throwaway";

    /**
     * Makes a throwaway self-signed pair for 127.0.0.1 and localhost (EC P-256, valid two days) in
     * {@code directory}, as {@code demo.crt.pem} and {@code demo.key.pem}: with {@code openssl} if
     * it is on the PATH, else with the JDK's {@code keytool} and a PEM export of its keystore.
     *
     * @throws IOException if neither tool could make it; the message holds the tool's output
     */
    public static DemoTls throwaway(Path directory) throws IOException {
        return throwaway(directory, Maker.available());
    }

    static DemoTls throwaway(Path directory, Maker maker) throws IOException {
        Files.createDirectories(directory);
        DemoTls pair = new DemoTls(directory.resolve("demo.crt.pem"), directory.resolve("demo.key.pem"));
        if (maker == Maker.OPENSSL) {
            run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-days", "2", "-subj", "/" + SUBJECT, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", pair.privateKey().toString(), "-out", pair.certificate().toString()));
        } else {
            Path keyStore = directory.resolve("demo.p12");
            Files.deleteIfExists(keyStore);
            run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                    "-alias", "demo", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", SUBJECT, "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
            exportPem(keyStore, pair);
        }
        return pair;
    }

    /** Writes the keystore's certificate and PKCS#8 key as PEM: what the demo server reads. */
    private static void exportPem(Path keyStore, DemoTls pair) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            Key key = store.getKey("demo", PASSWORD.toCharArray());
            Certificate certificate = store.getCertificate("demo");
            Files.writeString(pair.certificate(), pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(pair.privateKey(), pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot export the keytool pair in " + keyStore + " as PEM: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void run(List<String> command) throws IOException {
        Process tool = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try {
            String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
                throw new IOException(command.getFirst() + " could not make a throwaway TLS pair: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + command.getFirst() + " made a TLS pair", e);
        } finally {
            tool.destroyForcibly();
        }
    }

    /** A client context that trusts this certificate alone: the h2 load's, for a self-signed pair. */
    public SSLContext trustingClientContext() throws IOException {
        try (InputStream in = Files.newInputStream(certificate)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("demo", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the certificate in " + certificate + ": " + e.getMessage(), e);
        }
    }
}
