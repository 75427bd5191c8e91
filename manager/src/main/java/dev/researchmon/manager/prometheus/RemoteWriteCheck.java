package dev.researchmon.manager.prometheus;

import dev.researchmon.manager.ManagerException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Asks the store once, before the host's Prometheus starts, whether it will take this host's
 * samples: with the same CA and credentials Prometheus will use. Prometheus alone would retry a store
 * that refuses it for ever and say why only in its log; an operator who just typed the command is
 * better told at once. A store that does not answer is only a warning: it may be down for a while,
 * and the host's Prometheus keeps the samples until it is back.
 *
 * <pre>{@code
 * RemoteWriteCheck.check(remoteWrite).ifPresent(warning -> err.println("warning: " + warning));
 * }</pre>
 */
public final class RemoteWriteCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private RemoteWriteCheck() {}

    /**
     * Throws when the store will never take this host's samples (its certificate is not trusted, or it
     * refuses the credentials); returns a warning when it cannot be asked now.
     */
    public static Optional<String> check(RemoteWrite remoteWrite) {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        remoteWrite.caFile().ifPresent(ca -> client.sslContext(trusting(ca)));
        // an empty remote write: a store that takes it or calls it malformed has let us in
        HttpRequest.Builder request = HttpRequest.newBuilder(remoteWrite.url())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.noBody());
        authorization(remoteWrite.auth()).ifPresent(value -> request.header("Authorization", value));
        int status;
        try {
            status = client.build()
                    .send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (SSLHandshakeException e) {
            throw new ManagerException(
                    remoteWrite.url() + ": the store's certificate is not trusted (" + rootCause(e)
                            + "); give --remote-write-ca-file FILE with the CA certificate that signed it (for a self-signed "
                            + "certificate, the certificate itself), as the central's --enable-monitoring printed",
                    e);
        } catch (ConnectException | HttpTimeoutException e) {
            return Optional.of("cannot reach the store at " + remoteWrite.url() + " now (" + rootCause(e)
                    + "); Prometheus keeps this host's samples and ships them once it answers");
        } catch (IOException e) {
            return Optional.of("cannot ask the store at " + remoteWrite.url() + " (" + rootCause(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (status == 401 || status == 403) {
            throw new ManagerException(
                    remoteWrite.url() + " refuses this host (HTTP " + status + "): "
                            + (remoteWrite.auth() instanceof RemoteWrite.NoAuth
                                    ? "the store asks for credentials; give --remote-write-basic-auth-user and --remote-write-password-file "
                                            + "as the central's --enable-monitoring printed"
                                    : "check the user and that the file holds the store's current password (the central's store-password)"));
        }
        return Optional.empty();
    }

    private static Optional<String> authorization(RemoteWrite.Auth auth) {
        if (auth instanceof RemoteWrite.Basic basic) {
            String pair = basic.user() + ":" + secret(basic.passwordFile());
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        if (auth instanceof RemoteWrite.Bearer bearer) {
            return Optional.of("Bearer " + secret(bearer.tokenFile()));
        }
        return Optional.empty();
    }

    /** As Prometheus reads password_file and credentials_file: surrounding white space dropped. */
    private static String secret(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ManagerException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** An SSL context that trusts the certificates of a PEM file, and only those, as Prometheus's ca_file does. */
    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new ManagerException("--remote-write-ca-file: " + caFile + " holds no PEM certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ManagerException(
                    "--remote-write-ca-file: cannot read " + caFile + " as PEM certificates: " + e.getMessage(), e);
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
    }
}
