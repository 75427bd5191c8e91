package dev.researchmon.manager.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.researchmon.manager.ManagerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a host's prometheus.yml gets for a central store: its label, the remote write, each kind of auth. */
class HostShippingTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String SECRET = "s3cr3t-never-in-config";

    @TempDir
    Path dir;

    private ObjectNode config() throws IOException {
        return (ObjectNode)
                YAML.readTree(
                        "global:\n  scrape_interval: 15s\n  external_labels:\n    environment: research\n"
                                + "scrape_configs:\n  - job_name: node-exporter\n    static_configs: [{targets: ['127.0.0.1:9100']}]\n"
                                + "  - job_name: research\n    relabel_configs: [{source_labels: [__address__], target_label: x}]\n");
    }

    private Path secretFile(String name) throws IOException {
        return Files.writeString(dir.resolve(name), SECRET + "\n");
    }

    @Test
    void hostLabel_joinsTheExistingExternalLabels_withoutRemoteWrite() throws IOException {
        ObjectNode config = config();
        new HostShipping("gpu-a", Optional.empty(), Optional.empty()).applyTo(config, Path::toString);
        assertEquals("gpu-a", config.at("/global/external_labels/host").asText());
        assertEquals(
                "research", config.at("/global/external_labels/environment").asText());
        assertFalse(config.has("remote_write"), "no store given: nothing to ship to");
        assertEquals("15s", config.at("/global/scrape_interval").asText());
    }

    @Test
    void everyScrapeJob_labelsItsSeriesWithTheHost_soTheLocalViewMatchesTheStore() throws IOException {
        ObjectNode config = config();
        new HostShipping("gpu-a", Optional.empty(), Optional.empty()).applyTo(config, Path::toString);
        for (JsonNode job : config.path("scrape_configs")) {
            JsonNode first = job.path("relabel_configs").get(0);
            assertEquals("host", first.path("target_label").asText(), job.toString());
            assertEquals("gpu-a", first.path("replacement").asText(), job.toString());
        }
        assertEquals(2, config.at("/scrape_configs/1/relabel_configs").size(), "the job's own relabelling stays");
    }

    @Test
    void remoteWrite_withoutAuth_hasTheUrlAndTheOutageQueue() throws IOException {
        JsonNode entry =
                ship(RemoteWrite.of("http://central:8428/api/v1/write", new RemoteWrite.NoAuth(), Optional.empty()));
        assertEquals("http://central:8428/api/v1/write", entry.path("url").asText());
        assertFalse(entry.has("authorization") || entry.has("basic_auth") || entry.has("tls_config"), entry.toString());
        JsonNode queue = entry.path("queue_config");
        assertEquals(HostShipping.MAX_SHARDS, queue.path("max_shards").asInt());
        assertEquals(
                HostShipping.MAX_SAMPLES_PER_SEND,
                queue.path("max_samples_per_send").asInt());
        assertEquals("5s", queue.path("max_backoff").asText());
        assertTrue(queue.path("retry_on_http_429").asBoolean(), "a store shedding load must not make us drop samples");
    }

    @Test
    void bearerToken_isReferencedByFile_neverCopied() throws IOException {
        Path token = secretFile("token");
        JsonNode entry =
                ship(RemoteWrite.of("https://central/api/v1/write", new RemoteWrite.Bearer(token), Optional.empty()));
        assertEquals("Bearer", entry.at("/authorization/type").asText());
        assertEquals(
                token.toString(), entry.at("/authorization/credentials_file").asText());
        assertFalse(entry.toString().contains(SECRET), entry.toString());
        assertFalse(
                entry.at("/tls_config/insecure_skip_verify").asBoolean(true), "https verifies the store's certificate");
    }

    @Test
    void basicAuth_namesTheUserAndThePasswordFile() throws IOException {
        Path password = secretFile("password");
        JsonNode entry = ship(RemoteWrite.of(
                "http://127.0.0.1:9090/api/v1/write", new RemoteWrite.Basic("gpu-a", password), Optional.empty()));
        assertEquals("gpu-a", entry.at("/basic_auth/username").asText());
        assertEquals(password.toString(), entry.at("/basic_auth/password_file").asText());
        assertFalse(entry.at("/basic_auth").has("password"), "the password itself never enters the config");
        assertFalse(entry.toString().contains(SECRET), entry.toString());
    }

    @Test
    void httpsWithOwnCa_pointsTlsAtTheCaFile() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        JsonNode entry =
                ship(RemoteWrite.of("https://central:8428/api/v1/write", new RemoteWrite.NoAuth(), Optional.of(ca)));
        assertEquals(ca.toString(), entry.at("/tls_config/ca_file").asText());
    }

    @Test
    void secretFiles_seenElsewhere_areNamedWherePrometheusSeesThem() throws IOException {
        Path token = secretFile("token");
        ObjectNode config = config();
        new HostShipping(
                        "gpu-a",
                        Optional.of(RemoteWrite.of(
                                "http://c/api/v1/write", new RemoteWrite.Bearer(token), Optional.empty())),
                        Optional.empty())
                .applyTo(config, f -> "/in/container/" + f.getFileName());
        assertEquals(
                "/in/container/token",
                config.at("/remote_write/0/authorization/credentials_file").asText());
    }

    @Test
    void severalStores_getAnEntryEach_withUniqueNames() throws IOException {
        ObjectNode config = config();
        new HostShipping(
                        "gpu-a",
                        java.util.List.of(
                                RemoteWrite.of(
                                        "http://vm:8428/api/v1/write", new RemoteWrite.NoAuth(), Optional.empty()),
                                RemoteWrite.of(
                                        "http://prom:9090/api/v1/write", new RemoteWrite.NoAuth(), Optional.empty())),
                        Optional.empty())
                .applyTo(config, Path::toString);
        assertEquals(2, config.path("remote_write").size());
        assertEquals(
                "http://prom:9090/api/v1/write",
                config.at("/remote_write/1/url").asText());
        assertFalse(config.at("/remote_write/0/name")
                .asText()
                .equals(config.at("/remote_write/1/name").asText()));
    }

    @Test
    void scrapeInterval_setsScrapeAndRuleEvaluation() throws IOException {
        ObjectNode config = config();
        new HostShipping("gpu-a", Optional.empty(), Optional.of("1s")).applyTo(config, Path::toString);
        assertEquals("1s", config.at("/global/scrape_interval").asText());
        assertEquals("1s", config.at("/global/evaluation_interval").asText());
    }

    @Test
    void badInput_isOneClearMessage() throws IOException {
        assertMessage(
                "--host must be a host name", () -> new HostShipping("gpu a", Optional.empty(), Optional.empty()));
        assertMessage("--host must be a host name", () -> new HostShipping("", Optional.empty(), Optional.empty()));
        assertMessage(
                "--scrape-interval must be a duration",
                () -> new HostShipping("a", Optional.empty(), Optional.of("fast")));
        assertMessage(
                "http:// or https://",
                () -> RemoteWrite.of("ftp://central/write", new RemoteWrite.NoAuth(), Optional.empty()));
        assertMessage(
                "http:// or https://",
                () -> RemoteWrite.of("central:8428", new RemoteWrite.NoAuth(), Optional.empty()));
        assertMessage(
                "must not carry a user or password",
                () -> RemoteWrite.of("http://u:p@central/api/v1/write", new RemoteWrite.NoAuth(), Optional.empty()));
        assertMessage(
                "--remote-write-bearer-token-file: " + dir.resolve("none") + " is not a readable file",
                () -> RemoteWrite.of("http://c/w", new RemoteWrite.Bearer(dir.resolve("none")), Optional.empty()));
        assertMessage(
                "--remote-write-password-file",
                () -> RemoteWrite.of("http://c/w", new RemoteWrite.Basic("u", dir), Optional.empty()));
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        assertMessage(
                "is for an https store", () -> RemoteWrite.of("http://c/w", new RemoteWrite.NoAuth(), Optional.of(ca)));
    }

    @Test
    void credentialsOverPlainHttp_toAnotherMachine_areFlagged() throws IOException {
        Path token = secretFile("token");
        assertTrue(RemoteWrite.of("http://central/w", new RemoteWrite.Bearer(token), Optional.empty())
                .sendsSecretsInClear());
        assertFalse(RemoteWrite.of("https://central/w", new RemoteWrite.Bearer(token), Optional.empty())
                .sendsSecretsInClear());
        assertFalse(RemoteWrite.of("http://127.0.0.1/w", new RemoteWrite.Bearer(token), Optional.empty())
                .sendsSecretsInClear());
        assertFalse(RemoteWrite.of("http://central/w", new RemoteWrite.NoAuth(), Optional.empty())
                .sendsSecretsInClear());
    }

    private JsonNode ship(RemoteWrite remoteWrite) throws IOException {
        ObjectNode config = config();
        new HostShipping("gpu-a", Optional.of(remoteWrite), Optional.empty()).applyTo(config, Path::toString);
        assertEquals(1, config.path("remote_write").size(), config.toString());
        return config.path("remote_write").get(0);
    }

    private static void assertMessage(String expected, Runnable action) {
        ManagerException e = assertThrows(ManagerException.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
