package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The provisioned research-environment dashboard, checked for structure without Grafana. */
class DashboardStructureTest {
    static final Path DASHBOARD =
            MonitoringFiles.grafana().resolve("provisioning/dashboards/research-environment.json");

    private final GrafanaDashboard dashboard = GrafanaDashboard.load(DASHBOARD);
    private final String datasourceUid =
            GrafanaProvisioningTest.provisionedDatasource().path("uid").asText();

    @Test
    void provisionedDashboard_hasNoStructuralProblems() {
        List<String> problems = DashboardChecks.problems(dashboard, datasourceUid);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(dashboard.root().path("schemaVersion").asInt() >= 36, "schemaVersion predates timeseries panels");
    }

    @Test
    void dashboard_hasHostInstanceGpuAndNotebookVariables() {
        Set<String> names = dashboard.variables().stream()
                .map(GrafanaDashboard.Variable::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("host", "instance", "gpu", "notebook"), names);
        for (GrafanaDashboard.Variable variable : dashboard.variables()) {
            assertTrue(variable.query().startsWith("label_values("), variable + " is not a label_values query");
        }
    }

    @Test
    void everyQuery_usesOnlyDefinedVariables() {
        Map<String, List<String>> values = new HashMap<>();
        dashboard.variables().forEach(v -> values.put(v.name(), List.of("x")));
        QueryTemplate template = new QueryTemplate(values, "1m", "1h");
        for (GrafanaDashboard.Query query : dashboard.queries()) {
            String expanded = template.expand(query.expr());
            assertFalse(expanded.contains("$"), query + " still holds a variable: " + expanded);
        }
    }

    /** One page answers what Node Exporter Full, cAdvisor and DCGM dashboards answer. */
    @Test
    void dashboard_coversHostContainersGpusNotebooksAndSidecar() {
        String all =
                dashboard.queries().stream().map(GrafanaDashboard.Query::expr).collect(Collectors.joining("\n"));
        for (String metric : List.of(
                "node_cpu_seconds_total",
                "node_memory_MemAvailable_bytes",
                "node_disk_read_bytes_total",
                "node_filesystem_avail_bytes",
                "node_network_receive_bytes_total",
                "container_cpu_usage_seconds_total",
                "container_memory_working_set_bytes",
                "gpu_utilization_ratio",
                "gpu_memory_used_bytes",
                "gpu_temperature_celsius",
                "gpu_power_watts",
                "notebook:notebook_cells_executed:rate5m",
                "notebook:notebook_cell_duration_seconds:p95_rate5m",
                "notebook_cells_executed_total",
                "gpu_notebook_memory_used_bytes",
                "sidecar_collector_success",
                "gpu_sm_active_ratio",
                "gpu_tensor_active_ratio",
                "gpu_notebook_utilization_ratio",
                "gpu_mig_sm_active_ratio")) {
            assertTrue(all.contains(metric), "no panel reads " + metric);
        }
    }

    @Test
    void duplicatePanelId_isReported() {
        GrafanaDashboard broken =
                GrafanaDashboard.parse("""
                {"uid": "d", "panels": [
                  %s,
                  %s
                ]}""".formatted(panel(7, 0, "percentunit"), panel(7, 8, "percentunit")));
        assertProblem(broken, "id missing or used twice");
    }

    @Test
    void panelWithoutUnit_isReported() {
        GrafanaDashboard broken = GrafanaDashboard.parse("{\"uid\": \"d\", \"panels\": [" + panel(1, 0, "") + "]}");
        assertProblem(broken, "no unit");
    }

    @Test
    void panelOnAnotherDatasource_isReported() {
        ObjectNode root =
                (ObjectNode) GrafanaDashboard.parse("{\"uid\": \"d\", \"panels\": [" + panel(1, 0, "s") + "]}")
                        .root();
        ((ObjectNode) root.path("panels").get(0).path("datasource")).put("uid", "someone-elses");
        assertProblem(new GrafanaDashboard(root), "is not the provisioned Prometheus");
    }

    @Test
    void overlappingPanels_areReported() {
        GrafanaDashboard broken = GrafanaDashboard.parse("""
                {"uid": "d", "panels": [%s, %s]}""".formatted(panel(1, 0, "s"), panel(2, 4, "s")));
        assertProblem(broken, "overlaps");
    }

    @Test
    void legacyGraphPanel_isReported() {
        GrafanaDashboard broken = GrafanaDashboard.parse(
                "{\"uid\": \"d\", \"panels\": [" + panel(1, 0, "s").replace("timeseries", "graph") + "]}");
        assertProblem(broken, "type 'graph'");
    }

    private void assertProblem(GrafanaDashboard broken, String expected) {
        List<String> problems = DashboardChecks.problems(broken, datasourceUid);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
    }

    /** A minimal valid panel 8 columns wide at column {@code x}. */
    private String panel(int id, int x, String unit) {
        return """
                {"id": %d, "type": "timeseries", "title": "p%d",
                 "datasource": {"type": "prometheus", "uid": "%s"},
                 "gridPos": {"x": %d, "y": 0, "w": 8, "h": 8},
                 "fieldConfig": {"defaults": {"unit": "%s"}},
                 "targets": [{"refId": "A", "expr": "up"}]}""".formatted(id, id, datasourceUid, x, unit);
    }
}
