package dev.researchmon.manager.central;

import dev.researchmon.manager.ManagerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The certificate and key the store serves https with ({@code --store-tls-cert}, {@code
 * --store-tls-key}), PEM files VictoriaMetrics reads itself ({@code -tls -tlsCertFile -tlsKeyFile}).
 * Hosts trust it with {@code --remote-write-ca-file}: the CA that signed it, or for a self-signed
 * certificate the certificate itself.
 *
 * <pre>{@code
 * StoreTls tls = StoreTls.of(Path.of("store.crt"), Path.of("store.key"));
 * }</pre>
 */
public record StoreTls(Path certFile, Path keyFile) {

    public StoreTls {
        certFile = certFile.toAbsolutePath().normalize();
        keyFile = keyFile.toAbsolutePath().normalize();
    }

    /** Checks both files now, so that a mistake is one message instead of a store that does not start. */
    public static StoreTls of(Path certFile, Path keyFile) {
        StoreTls tls = new StoreTls(certFile, keyFile);
        for (Path file : List.of(tls.certFile, tls.keyFile)) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new ManagerException((file == tls.certFile ? "--store-tls-cert" : "--store-tls-key") + ": " + file
                        + " is not a readable file");
            }
        }
        tls.certificate();
        return tls;
    }

    /** The served (first) certificate of the PEM file. */
    public X509Certificate certificate() {
        try (InputStream in = Files.newInputStream(certFile)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new ManagerException(
                    "--store-tls-cert: " + certFile + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** Whether the certificate signed itself, so that hosts trust it by its own file. */
    public boolean selfSigned() {
        X509Certificate certificate = certificate();
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }
}
