package dev.baton.jetty;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loader of a PEM certificate chain and its PEM private key (PKCS#8, unencrypted) into an in-memory
 * {@link KeyStore}, checking that the key belongs to the first certificate.
 *
 * <p>Written by hand because neither the JDK nor Jetty reads PEM keys: the JDK's {@code KeyStore} types
 * are JKS and PKCS#12 ({@code java.security.PEMDecoder} is a preview API in JDK 25, JEP 470, not usable
 * by a library), and Jetty's {@code SslContextFactory} loads key store files only. Certificates are
 * parsed by the JDK's X.509 {@link CertificateFactory}, which accepts PEM; only the key needs the
 * Base64 unwrapped here.
 *
 * <p>A static loader without state, safe from any thread. The files are read on every call, so a
 * generation that loads them again picks up a renewed certificate.
 */
public final class PemKeyStore {

    /**
     * The password of the key store and its key entry. The store lives in memory only; the password
     * protects nothing, the key store API just requires one.
     */
    public static final String PASSWORD = "baton";

    /** The alias of the key entry. */
    public static final String ALIAS = "baton";

    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemKeyStore() {}

    /**
     * Loads a certificate chain and its private key into a PKCS#12 key store held in memory, under
     * {@link #ALIAS} with {@link #PASSWORD}.
     *
     * @param certificateChain a PEM file of one or more certificates, the server's first
     * @param privateKey a PEM file holding the private key of the first certificate, PKCS#8
     *     ({@code BEGIN PRIVATE KEY}), not encrypted
     * @return the key store
     * @throws NullPointerException if an argument is null
     * @throws UncheckedIOException if a file cannot be read
     * @throws IllegalArgumentException if a file holds no certificate or no PKCS#8 key, or if the key
     *     does not match the certificate; the message names both files
     */
    public static KeyStore load(Path certificateChain, Path privateKey) {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        List<X509Certificate> chain = certificates(certificateChain);
        PrivateKey key = privateKey(privateKey, chain.getFirst().getPublicKey().getAlgorithm());
        if (!matches(key, chain.getFirst().getPublicKey())) {
            throw new IllegalArgumentException("the private key in " + privateKey
                    + " does not match the certificate in " + certificateChain + " (subject "
                    + chain.getFirst().getSubjectX500Principal().getName()
                    + "); give the key the certificate was issued for");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    "cannot store the key of " + privateKey + " with the certificates of " + certificateChain, e);
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        byte[] pem = read(file);
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem)).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no certificate; expected PEM (BEGIN CERTIFICATE)");
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot read the certificates in " + file + "; expected PEM (BEGIN CERTIFICATE): " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) {
        String pem = new String(read(file), StandardCharsets.US_ASCII);
        Matcher matcher = PKCS8.matcher(pem);
        if (!matcher.find()) {
            String hint = pem.contains("ENCRYPTED PRIVATE KEY") || pem.contains("RSA PRIVATE KEY")
                            || pem.contains("EC PRIVATE KEY")
                    ? "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file
                    : "";
            throw new IllegalArgumentException(
                    file + " holds no unencrypted PKCS#8 private key (BEGIN PRIVATE KEY)" + hint);
        }
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key in " + file + " is not a " + algorithm
                    + " key, the algorithm of its certificate: " + e.getMessage(), e);
        }
    }

    /** Whether the private key signs what the public key verifies: works for every key type, unlike comparing fields. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm(publicKey.getAlgorithm()));
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(publicKey.getAlgorithm()));
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> keyAlgorithm; // Ed25519, Ed448, EdDSA, RSASSA-PSS name their own signature
        };
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
