package dev.researchmon.manager.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.researchmon.manager.ManagerException;
import dev.researchmon.manager.stack.ComposeFile;
import dev.researchmon.manager.stack.Mount;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --role central: the store's command line locally, and docker/compose.central.yaml with Grafana reading the store. */
class CentralStackTest {
    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path state;

    @Test
    void localStore_keepsItsDataInTheStateFolder_andListensWhereAsked() {
        List<String> command = new LocalCentralStore(new CentralStore("127.0.0.1", 18428, "30d"), state,
                Duration.ofSeconds(5), new PrintWriter(new StringWriter())).command();
        assertEquals("/usr/bin/victoria-metrics", command.get(0));
        assertTrue(command.contains("-storageDataPath=" + state.resolve("victoria-metrics/data")), command.toString());
        assertTrue(command.contains("-httpListenAddr=127.0.0.1:18428"), command.toString());
        assertTrue(command.contains("-retentionPeriod=30d"), command.toString());
    }

    @Test
    void badStoreSettings_areOneClearMessage() {
        assertThrows(ManagerException.class, () -> new CentralStore("0.0.0.0", 0, "90d"));
        assertTrue(assertThrows(ManagerException.class, () -> new CentralStore("0.0.0.0", 8428, "forever"))
                .getMessage().contains("--store-retention"));
        assertTrue(assertThrows(ManagerException.class, () -> new CentralStore("a b", 8428, "90d"))
                .getMessage().contains("--store-bind"));
    }

    @Test
    void dockerCentralStack_isItsOwnProject_withGrafanaReadingVictoriaMetricsAsTheDashboardsDatasource() throws IOException {
        StackDescription stack = ComposeFile.load(REPO.resolve("docker/compose.central.yaml"),
                Map.of("VICTORIA_METRICS_PORT", "18428"), false);
        assertEquals("research-monitor-central", stack.project(), "--no-monitoring --role central must leave a host stack alone");
        ServiceSpec store = stack.service("victoria-metrics");
        assertEquals(18428, store.published(8428).orElseThrow().hostPort());
        assertEquals("0.0.0.0", store.published(8428).orElseThrow().hostIp(), "the hosts are other machines");
        assertEquals("65534:65534", store.user(), "not root");

        ServiceSpec grafana = stack.service("grafana");
        assertEquals("127.0.0.1", grafana.published(3000).orElseThrow().hostIp());
        Path datasource = grafana.hostPath("/etc/grafana/provisioning/datasources/victoria-metrics.yml");
        assertEquals(REPO.resolve("monitoring/grafana/central/datasources/victoria-metrics.yml"), datasource);
        JsonNode source = YAML.readTree(datasource.toFile()).path("datasources").get(0);
        assertTrue(source.path("isDefault").asBoolean());
        URI url = URI.create(source.path("url").asText());
        assertEquals("victoria-metrics", url.getHost(), "the compose service name");
        assertEquals(8428, url.getPort());
        JsonNode hostStackSource = YAML.readTree(REPO.resolve("monitoring/grafana/provisioning/datasources/prometheus.yml")
                .toFile()).path("datasources").get(0);
        assertEquals(hostStackSource.path("uid").asText(), source.path("uid").asText(),
                "the dashboards name this uid: they must read the store unchanged");
        assertTrue(grafana.mounts().stream().anyMatch(m -> m.kind() == Mount.Kind.BIND
                && m.source().equals(REPO.resolve("monitoring/grafana/provisioning/dashboards").toString())), "the same dashboards");
    }
}
