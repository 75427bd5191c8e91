package dev.researchmon.manager.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.researchmon.manager.prometheus.HostShipping;
import dev.researchmon.manager.prometheus.RemoteWrite;
import dev.researchmon.manager.stack.ComposeFile;
import dev.researchmon.manager.stack.Mount;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On Docker, the Prometheus container reads a generated copy with the host label and the mounted secret. */
class DockerPrometheusConfigTest {
    static final Path REPO =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void prometheusContainer_readsTheHostsConfig_withTheTokenMountedReadOnly() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "s3cr3t\n");
        HostShipping shipping = new HostShipping(
                "gpu-a",
                Optional.of(RemoteWrite.of(
                        "https://central/api/v1/write", new RemoteWrite.Bearer(token), Optional.empty())),
                Optional.empty());
        StackDescription stack = ComposeFile.load(REPO.resolve("docker/compose.yaml"), Map.of(), false);

        ServiceSpec prometheus = new DockerPrometheusConfig(shipping, dir.resolve("docker"))
                .applyTo(stack)
                .service("prometheus");

        assertEquals(Optional.of("/etc/research-monitor/prometheus.yml"), prometheus.flag("--config.file"));
        assertTrue(prometheus.command().contains("--storage.tsdb.retention.time=15d"), "compose's other flags stay");
        Mount secret = prometheus.mounts().stream()
                .filter(m -> m.source().equals(token.toString()))
                .findFirst()
                .orElseThrow();
        assertTrue(secret.readOnly());
        Path generated = dir.resolve("docker/prometheus.yml");
        assertEquals(
                generated.getParent().toString(),
                prometheus
                        .hostPath("/etc/research-monitor/prometheus.yml")
                        .getParent()
                        .toString());

        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(generated.toFile());
        assertEquals("gpu-a", config.at("/global/external_labels/host").asText());
        assertEquals(
                secret.target(),
                config.at("/remote_write/0/authorization/credentials_file").asText());
        assertEquals(
                "/etc/prometheus/rules/*.yml",
                config.at("/rule_files/0").asText(),
                "rule files stay where compose mounts the project's folder");
        assertEquals(
                "node-exporter:9100",
                config.at("/scrape_configs/1/static_configs/0/targets/0").asText(),
                "targets stay the compose network's names");
        assertFalse(Files.readString(generated).contains("s3cr3t"));
    }
}
