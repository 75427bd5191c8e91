package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackPrometheusConfigTest {
    private static final Path SOURCE = MonitoringFiles.prometheus().resolve("prometheus.yml");
    private static final Map<String, String> ALL_TARGETS = Map.of(
            "localhost:9090", "127.0.0.1:1",
            "node-exporter:9100", "127.0.0.1:2",
            "research:8888", "127.0.0.1:3",
            "research:9464", "127.0.0.1:4",
            "cadvisor:8080", "127.0.0.1:5",
            "alertmanager:9093", "127.0.0.1:6");

    @Test
    void rewrite_movesTargetsAndIntervals_keepsJobsLabelsAndRules(@TempDir Path dir) throws Exception {
        Path written = new LoopbackPrometheusConfig(ALL_TARGETS, "1s").write(SOURCE, dir.resolve("p.yml"));
        JsonNode original = RuleFiles.read(SOURCE);
        JsonNode config = RuleFiles.read(written);
        assertEquals("1s", config.path("global").path("scrape_interval").asText());
        assertEquals(
                original.path("scrape_configs").findValuesAsText("job_name"),
                config.path("scrape_configs").findValuesAsText("job_name"));
        JsonNode research = config.path("scrape_configs").get(2);
        assertEquals("research", research.path("job_name").asText());
        assertEquals(
                "127.0.0.1:4",
                research.path("static_configs").get(1).path("targets").get(0).asText());
        assertEquals(
                "sidecar",
                research.path("static_configs")
                        .get(1)
                        .path("labels")
                        .path("component")
                        .asText());
        String rules = config.path("rule_files").get(0).asText();
        assertTrue(Path.of(rules).isAbsolute() && rules.endsWith("rules/*.yml"), rules);
    }

    @Test
    void unmappedTarget_failsNamingIt(@TempDir Path dir) {
        Map<String, String> withoutCadvisor = new HashMap<>(ALL_TARGETS);
        withoutCadvisor.remove("cadvisor:8080");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new LoopbackPrometheusConfig(withoutCadvisor, "1s").write(SOURCE, dir.resolve("p.yml")));
        assertTrue(e.getMessage().contains("cadvisor:8080"), e.getMessage());
    }
}
