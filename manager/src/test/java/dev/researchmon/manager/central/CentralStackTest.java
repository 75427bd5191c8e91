package dev.researchmon.manager.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.researchmon.manager.ManagerException;
import dev.researchmon.manager.local.VictoriaMetricsPart;
import dev.researchmon.manager.stack.ComposeFile;
import dev.researchmon.manager.stack.Mount;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --role central: the store's command line locally, and docker/compose.central.yaml with Grafana reading the store. */
class CentralStackTest {
    static final Path REPO =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path state;

    @Test
    void localStore_keepsItsDataInTheStateFolder_andListensWhereAsked() {
        List<String> command = new VictoriaMetricsPart(closedStore(18428)).command(state, 18428);
        assertEquals("/usr/bin/victoria-metrics", command.get(0));
        assertTrue(command.contains("-storageDataPath=" + state.resolve("victoria-metrics/data")), command.toString());
        assertTrue(command.contains("-httpListenAddr=127.0.0.1:18428"), command.toString());
        assertTrue(command.contains("-retentionPeriod=30d"), command.toString());
    }

    @Test
    void closedByDefault_secretsReachTheStoreByItsEnvironment_neverItsCommandLine() throws IOException {
        VictoriaMetricsPart store = new VictoriaMetricsPart(closedStore(18428));
        String password = Files.readString(state.resolve("store-password"));
        String adminKey = Files.readString(state.resolve("store-admin-key"));
        List<String> command = store.command(state, 18428);
        assertTrue(command.contains("-envflag.enable"), command.toString());
        assertTrue(
                command.stream()
                        .noneMatch(a -> a.contains(password)
                                || a.contains(adminKey)
                                || a.toLowerCase().contains("auth")),
                command.toString());
        Map<String, String> environment = store.environment();
        assertEquals("research", environment.get("httpAuth_username"));
        assertEquals(password, environment.get("httpAuth_password"));
        // VictoriaMetrics 1.79 leaves /metrics, /flags and pprof open unless their keys are set
        for (String key : List.of(
                "deleteAuthKey",
                "snapshotAuthKey",
                "forceMergeAuthKey",
                "search_resetCacheAuthKey",
                "flagsAuthKey",
                "metricsAuthKey",
                "pprofAuthKey")) {
            assertEquals(adminKey, environment.get(key), key);
        }
        assertTrue(store.environment().values().stream().noneMatch(String::isEmpty), environment.toString());
        assertTrue(new VictoriaMetricsPart(openStore()).environment().isEmpty(), "--store-no-auth");
    }

    @Test
    void generatedPassword_hasAtLeast128Bits_mode600_andIsMadeOnce() throws IOException {
        StoreCredentials first = StoreCredentials.prepare(state, "research", Optional.empty());
        assertTrue(first.passwordGenerated());
        String password = Files.readString(first.passwordFile());
        assertTrue(password.length() * 6 >= 128, "base64 letters carry 6 bits each: " + password.length());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.passwordFile())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.adminKeyFile())));
        assertNotEquals(password, Files.readString(first.adminKeyFile()), "the hosts' password is not the admin key");

        StoreCredentials second = StoreCredentials.prepare(state, "research", Optional.empty());
        assertFalse(second.passwordGenerated());
        assertEquals(password, Files.readString(second.passwordFile()), "a restart keeps the password");

        Path own = Files.writeString(state.resolve("mine"), "my-own-password\n");
        StoreCredentials given = StoreCredentials.prepare(state, "lab", Optional.of(own));
        assertEquals("my-own-password", given.victoriaMetricsEnvironment().get("httpAuth_password"));
        assertEquals("lab", given.victoriaMetricsEnvironment().get("httpAuth_username"));
    }

    @Test
    void hostInstructions_nameTheFilesToCopy_neverTheSecrets() throws IOException {
        CentralStore store = closedStore(18428);
        String printed = String.join("\n", store.hostInstructions());
        assertTrue(
                printed.contains("hosts ship with: --remote-write http://127.0.0.1:18428/api/v1/write "
                        + "--remote-write-basic-auth-user research --remote-write-password-file "
                        + state.resolve("store-password")),
                printed);
        assertTrue(printed.contains("copy " + state.resolve("store-password") + " to each host"), printed);
        assertFalse(printed.contains(Files.readString(state.resolve("store-password"))), printed);
        assertFalse(printed.contains(Files.readString(state.resolve("store-admin-key"))), printed);
    }

    private CentralStore closedStore(int port) {
        return new CentralStore(
                "127.0.0.1",
                port,
                "30d",
                Optional.of(StoreCredentials.prepare(state, "research", Optional.empty())),
                Optional.empty());
    }

    private static CentralStore openStore() {
        return new CentralStore("127.0.0.1", 18428, "30d", Optional.empty(), Optional.empty());
    }

    @Test
    void badStoreSettings_areOneClearMessage() {
        Optional<StoreCredentials> none = Optional.empty();
        assertThrows(ManagerException.class, () -> new CentralStore("0.0.0.0", 0, "90d", none, Optional.empty()));
        assertTrue(assertThrows(
                        ManagerException.class,
                        () -> new CentralStore("0.0.0.0", 8428, "forever", none, Optional.empty()))
                .getMessage()
                .contains("--store-retention"));
        assertTrue(
                assertThrows(ManagerException.class, () -> new CentralStore("a b", 8428, "90d", none, Optional.empty()))
                        .getMessage()
                        .contains("--store-bind"));
        assertTrue(assertThrows(ManagerException.class, () -> StoreCredentials.prepare(state, "a:b", Optional.empty()))
                .getMessage()
                .contains("--store-user"));
    }

    @Test
    void dockerCentralStack_isItsOwnProject_withGrafanaReadingVictoriaMetricsAsTheDashboardsDatasource()
            throws IOException {
        StackDescription stack = ComposeFile.load(
                REPO.resolve("docker/compose.central.yaml"),
                Map.of(
                        "VICTORIA_METRICS_PORT",
                        "18428",
                        "STORE_USER",
                        "research",
                        "STORE_PASSWORD",
                        "pw-from-file",
                        "STORE_ADMIN_KEY",
                        "key-from-file"),
                false);
        assertEquals(
                "research-monitor-central",
                stack.project(),
                "--no-monitoring --role central must leave a host stack alone");
        ServiceSpec store = stack.service("victoria-metrics");
        assertEquals(18428, store.published(8428).orElseThrow().hostPort());
        assertEquals("0.0.0.0", store.published(8428).orElseThrow().hostIp(), "the hosts are other machines");
        assertEquals("65534:65534", store.user(), "not root");
        assertTrue(store.command().contains("-envflag.enable"), store.command().toString());
        assertEquals("research", store.environment().get("httpAuth_username"));
        assertEquals(
                "pw-from-file",
                store.environment().get("httpAuth_password"),
                "filled in by the manager, not written here");
        for (String key : StoreCredentials.AUTH_KEY_VARIABLES) {
            assertEquals("key-from-file", store.environment().get(key), key);
        }

        ServiceSpec grafana = stack.service("grafana");
        assertEquals("127.0.0.1", grafana.published(3000).orElseThrow().hostIp());
        assertEquals("pw-from-file", grafana.environment().get("STORE_PASSWORD"));
        Path datasource = grafana.hostPath("/etc/grafana/provisioning/datasources/victoria-metrics.yml");
        assertEquals(REPO.resolve("monitoring/grafana/central/datasources/victoria-metrics.yml"), datasource);
        JsonNode source = YAML.readTree(datasource.toFile()).path("datasources").get(0);
        assertTrue(source.path("isDefault").asBoolean());
        assertTrue(source.path("basicAuth").asBoolean(), "Grafana reads the closed store with its credentials");
        assertEquals("$STORE_USER", source.path("basicAuthUser").asText());
        assertEquals(
                "$STORE_PASSWORD",
                source.path("secureJsonData").path("basicAuthPassword").asText());
        URI url = URI.create(source.path("url").asText());
        assertEquals("victoria-metrics", url.getHost(), "the compose service name");
        assertEquals(8428, url.getPort());
        JsonNode hostStackSource = YAML.readTree(
                        REPO.resolve("monitoring/grafana/provisioning/datasources/prometheus.yml")
                                .toFile())
                .path("datasources")
                .get(0);
        assertEquals(
                hostStackSource.path("uid").asText(),
                source.path("uid").asText(),
                "the dashboards name this uid: they must read the store unchanged");
        assertTrue(
                grafana.mounts().stream()
                        .anyMatch(m -> m.kind() == Mount.Kind.BIND
                                && m.source()
                                        .equals(REPO.resolve("monitoring/grafana/provisioning/dashboards")
                                                .toString())),
                "the same dashboards");
    }
}
