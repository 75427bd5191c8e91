package dev.researchmon.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural rules for a provisioned dashboard, returned as readable problems rather than thrown
 * one at a time, so one run shows everything that is wrong.
 *
 * <pre>{@code
 * List<String> problems = DashboardChecks.problems(dashboard, "research-prometheus");
 * assertTrue(problems.isEmpty(), String.join("\n", problems));
 * }</pre>
 */
final class DashboardChecks {
    static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat");
    private static final int GRID_WIDTH = 24;

    private DashboardChecks() {}

    static List<String> problems(GrafanaDashboard dashboard, String datasourceUid) {
        List<String> problems = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        Map<String, String> occupied = new HashMap<>();
        if (dashboard.root().path("uid").asText().isBlank()) {
            problems.add("dashboard has no uid (links to it would change on every import)");
        }
        for (JsonNode panel : dashboard.panels()) {
            String name = "panel " + panel.path("id").asText("?") + " '"
                    + panel.path("title").asText() + "'";
            if (!panel.path("id").canConvertToInt() || !ids.add(panel.path("id").asInt())) {
                problems.add(name + ": id missing or used twice");
            }
            checkPosition(panel, name, occupied, problems);
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            if (!PANEL_TYPES.contains(panel.path("type").asText())) {
                problems.add(name + ": type '" + panel.path("type").asText() + "' is not one of " + PANEL_TYPES);
            }
            checkDatasource(panel.path("datasource"), name, datasourceUid, problems);
            if (panel.path("fieldConfig").path("defaults").path("unit").asText().isBlank()) {
                problems.add(name + ": no unit in fieldConfig.defaults.unit");
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(name + ": no targets");
            }
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                String refId = target.path("refId").asText();
                if (refId.isBlank() || !refIds.add(refId)) {
                    problems.add(name + ": target refId '" + refId + "' missing or used twice");
                }
                if (target.path("expr").asText().isBlank()) {
                    problems.add(name + ": target " + refId + " has no expr");
                }
                if (target.has("datasource")) {
                    checkDatasource(target.path("datasource"), name + " target " + refId, datasourceUid, problems);
                }
            }
        }
        for (JsonNode variable : dashboard.root().path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                checkDatasource(
                        variable.path("datasource"),
                        "variable $" + variable.path("name").asText(),
                        datasourceUid,
                        problems);
            }
        }
        return problems;
    }

    private static void checkDatasource(JsonNode datasource, String owner, String uid, List<String> problems) {
        if (!uid.equals(datasource.path("uid").asText())
                || !"prometheus".equals(datasource.path("type").asText())) {
            problems.add(owner + ": datasource " + datasource + " is not the provisioned Prometheus (uid " + uid + ")");
        }
    }

    /** Panels must fit the 24-column grid and not overlap (Grafana would shove them about). */
    private static void checkPosition(
            JsonNode panel, String name, Map<String, String> occupied, List<String> problems) {
        JsonNode pos = panel.path("gridPos");
        int x = pos.path("x").asInt(-1),
                y = pos.path("y").asInt(-1),
                w = pos.path("w").asInt(0),
                h = pos.path("h").asInt(0);
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > GRID_WIDTH) {
            problems.add(name + ": gridPos " + pos + " is outside the 24-column grid");
            return;
        }
        for (int row = y; row < y + h; row++) {
            for (int col = x; col < x + w; col++) {
                String other = occupied.putIfAbsent(row + ":" + col, name);
                if (other != null) {
                    problems.add(name + ": overlaps " + other + " at row " + row + ", column " + col);
                    return;
                }
            }
        }
    }
}
