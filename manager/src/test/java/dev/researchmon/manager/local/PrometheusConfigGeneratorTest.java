package dev.researchmon.manager.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.researchmon.manager.stack.ComposeFile;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generates the local copy of the project's own prometheus.yml from the project's own compose.yaml. */
class PrometheusConfigGeneratorTest {
    static final Path REPO =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void localConfig_pointsComposeTargetsAtLoopbackAndDropsWhatDoesNotRunLocally(@TempDir Path dir) throws IOException {
        JsonNode config = generate(
                dir,
                Map.of(
                        "prometheus:9090", "127.0.0.1:19090",
                        "node-exporter:9100", "127.0.0.1:19100",
                        "research:8888", "127.0.0.1:18888",
                        "research:9464", "127.0.0.1:19464",
                        "alertmanager:9093", "127.0.0.1:19093"));
        assertEquals(List.of("127.0.0.1:19090"), targets(config, "prometheus"));
        assertEquals(List.of("127.0.0.1:19100"), targets(config, "node-exporter"));
        assertEquals(List.of("127.0.0.1:18888", "127.0.0.1:19464"), targets(config, "research"));
        assertFalse(jobs(config).contains("cadvisor"), "cAdvisor does not run locally, its job must go");
        assertTrue(jobs(config).contains("python-custom"), "file-discovered jobs stay");
        assertEquals(
                "127.0.0.1:19093",
                config.at("/alerting/alertmanagers/0/static_configs/0/targets/0")
                        .asText());
    }

    @Test
    void researchTargetWithoutSidecar_keepsTheJobWithJupyterOnly(@TempDir Path dir) throws IOException {
        JsonNode config =
                generate(dir, Map.of("prometheus:9090", "127.0.0.1:19090", "research:8888", "127.0.0.1:18888"));
        assertEquals(List.of("127.0.0.1:18888"), targets(config, "research"));
        assertFalse(jobs(config).contains("node-exporter"));
        assertTrue(config.path("alerting").path("alertmanagers").isEmpty(), "no Alertmanager runs: none is named");
    }

    @Test
    void relativePaths_becomeAbsoluteSoTheCopyWorksFromAnotherFolder(@TempDir Path dir) throws IOException {
        JsonNode config = generate(dir, Map.of("prometheus:9090", "127.0.0.1:19090"));
        for (JsonNode rule : config.path("rule_files")) {
            assertTrue(
                    rule.asText()
                            .startsWith(REPO.resolve("monitoring/prometheus").toString()),
                    rule.asText());
        }
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode sd : job.path("file_sd_configs")) {
                sd.path("files").forEach(f -> assertTrue(Path.of(f.asText()).isAbsolute(), f.asText()));
            }
        }
    }

    private static JsonNode generate(Path dir, Map<String, String> targets) throws IOException {
        StackDescription stack = ComposeFile.load(REPO.resolve("docker/compose.yaml"), Map.of(), false);
        Set<String> hosts = stack.services().stream().map(ServiceSpec::name).collect(Collectors.toSet());
        Path out = new PrometheusConfigGenerator(stack.service("prometheus"), targets, hosts)
                .write(dir.resolve("prometheus.yml"));
        return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(out));
    }

    private static List<String> jobs(JsonNode config) {
        List<String> jobs = new ArrayList<>();
        config.path("scrape_configs").forEach(j -> jobs.add(j.path("job_name").asText()));
        return jobs;
    }

    private static List<String> targets(JsonNode config, String job) {
        List<String> targets = new ArrayList<>();
        for (JsonNode j : config.path("scrape_configs")) {
            if (j.path("job_name").asText().equals(job)) {
                j.path("static_configs").forEach(g -> g.path("targets").forEach(t -> targets.add(t.asText())));
            }
        }
        return targets;
    }
}
