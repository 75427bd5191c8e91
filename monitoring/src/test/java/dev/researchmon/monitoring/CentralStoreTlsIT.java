package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.researchmon.testkit.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A closed central store over https, as docs/many-hosts.md makes it: a self-signed pair from
 * openssl, {@code --store-tls-cert/--store-tls-key} on the store, and a host started by
 * {@code bin/environment-manager} with the CA file it printed ships there. A host without the CA file
 * is refused before anything starts, and says why.
 */
class CentralStoreTlsIT {
    private Path work;
    private Path central;
    private int port;
    private ResearchHost host;

    @AfterEach
    void stop() throws Exception {
        if (host != null) {
            host.close();
        }
        if (central != null) {
            ResearchHost.runManager(
                    central,
                    List.of(
                            "--no-monitoring",
                            "--role",
                            "central",
                            "--store-bind",
                            "127.0.0.1",
                            "--store-port",
                            String.valueOf(port)));
        }
    }

    @Test
    void hostWithTheCaFile_shipsOverTls_andOneWithoutIsRefusedAndToldWhy() throws Exception {
        work = Files.createTempDirectory("central-tls-");
        central = Files.createDirectories(work.resolve("central"));
        port = FreePort.loopback();
        Path cert = work.resolve("store.crt");
        Path key = work.resolve("store.key");
        // the docs' command: the certificate names the address the hosts use (here 127.0.0.1)
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=central.test",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString());

        String enabled = ResearchHost.runManager(
                central,
                List.of(
                        "--enable-monitoring",
                        "--role",
                        "central",
                        "--store-bind",
                        "127.0.0.1",
                        "--store-port",
                        String.valueOf(port),
                        "--store-tls-cert",
                        cert.toString(),
                        "--store-tls-key",
                        key.toString()));
        assertTrue(enabled.contains("monitoring is on"), enabled);
        String url = "https://127.0.0.1:" + port + "/api/v1/write";
        Path password = central.resolve("store-password");
        assertTrue(
                enabled.contains("hosts ship with: --remote-write " + url + " --remote-write-basic-auth-user research "
                        + "--remote-write-password-file " + password + " --remote-write-ca-file " + cert),
                enabled);

        List<String> withoutCa = List.of(
                "--scrape-interval",
                "1s",
                "--remote-write",
                url,
                "--remote-write-basic-auth-user",
                "research",
                "--remote-write-password-file",
                password.toString());
        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> ResearchHost.start("no-ca", work, withoutCa));
        assertTrue(
                refused.getMessage().contains("certificate is not trusted")
                        && refused.getMessage().contains("--remote-write-ca-file"),
                refused.getMessage());

        List<String> withCa = new java.util.ArrayList<>(withoutCa);
        withCa.addAll(List.of("--remote-write-ca-file", cert.toString()));
        host = ResearchHost.start("tls-host", work, withCa);

        QueryApi store = new QueryApi(
                URI.create("https://127.0.0.1:" + port),
                HttpClient.newBuilder().sslContext(trusting(cert)).build(),
                QueryApi.basicAuth("research", Files.readString(password)));
        Instant deadline = Instant.now().plusSeconds(90);
        while (store.result("up{job=\"prometheus\", host=\"tls-host\"}").isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                fail("tls-host's series never arrived over https\n" + host.logs());
            }
            Thread.sleep(1000);
        }
        assertEquals(List.of("tls-host"), store.labelValues("host", "up"), "only the host with the CA shipped");
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "openssl failed: " + output);
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trusted.setCertificateEntry(
                    "store", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
