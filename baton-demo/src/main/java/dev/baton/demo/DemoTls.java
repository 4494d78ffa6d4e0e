package dev.baton.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

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
}
