package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grafana's data source, dashboard provider and server settings. */
class GrafanaProvisioningTest {

    static JsonNode provisionedDatasource() {
        JsonNode sources = RuleFiles.read(MonitoringFiles.grafana().resolve("provisioning/datasources/prometheus.yml"))
                .path("datasources");
        assertEquals(1, sources.size(), "exactly one provisioned data source expected");
        return sources.get(0);
    }

    @Test
    void datasource_isPrometheusWithFixedUidAndTheScrapeInterval() {
        JsonNode source = provisionedDatasource();
        assertEquals("prometheus", source.path("type").asText());
        assertFalse(source.path("uid").asText().isBlank(), "the uid must be fixed so dashboards can name it");
        assertEquals("http://prometheus:9090", source.path("url").asText());
        String scrapeInterval = RuleFiles.read(MonitoringFiles.prometheus().resolve("prometheus.yml"))
                .path("global")
                .path("scrape_interval")
                .asText();
        assertEquals("15s", scrapeInterval);
        assertEquals(
                scrapeInterval,
                source.path("jsonData").path("timeInterval").asText(),
                "timeInterval must equal Prometheus's scrape_interval for $__rate_interval to be right");
    }

    @Test
    void dashboardProvider_loadsTheFolderHoldingTheDashboard() {
        JsonNode providers = RuleFiles.read(MonitoringFiles.grafana().resolve("provisioning/dashboards/provider.yml"))
                .path("providers");
        assertEquals(1, providers.size());
        JsonNode provider = providers.get(0);
        assertEquals("file", provider.path("type").asText());
        // compose mounts monitoring/grafana/provisioning at /etc/grafana/provisioning
        String path = provider.path("options").path("path").asText();
        assertEquals("/etc/grafana/provisioning/dashboards", path);
        assertTrue(Files.isRegularFile(
                MonitoringFiles.grafana().resolve("provisioning/dashboards/research-environment.json")));
    }

    @Test
    void grafanaIni_defaultsToAdminAdmin_warnsAboutIt_andKeepsAnonymousAccessOff() throws IOException {
        Path ini = MonitoringFiles.grafana().resolve("grafana.ini");
        Map<String, String> settings = readIni(ini);
        assertEquals("admin", settings.get("security.admin_user"));
        assertEquals("admin", settings.get("security.admin_password"));
        assertEquals("false", settings.get("auth.anonymous.enabled"));
        assertEquals("false", settings.get("users.allow_sign_up"));
        String text = Files.readString(ini);
        assertTrue(
                text.contains("WARNING") && text.contains("--grafana-password"),
                "the default password must be warned about where it is set");
    }

    /** Grafana's ini: {@code [section]} headers and {@code key = value} lines; ; and # start comments. */
    private static Map<String, String> readIni(Path file) throws IOException {
        Map<String, String> settings = new HashMap<>();
        String section = "";
        List<String> lines = Files.readAllLines(file);
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
            } else {
                int eq = line.indexOf('=');
                assertTrue(eq > 0, file + ": not a key = value line: " + raw);
                settings.put(
                        section + "." + line.substring(0, eq).strip(),
                        line.substring(eq + 1).strip());
            }
        }
        return settings;
    }
}
