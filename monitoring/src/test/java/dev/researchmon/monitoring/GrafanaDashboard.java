package dev.researchmon.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Grafana dashboard JSON as the checks need it: its panels (rows' nested panels included), the
 * Prometheus queries of each, and its template variables.
 *
 * <pre>{@code
 * GrafanaDashboard dashboard = GrafanaDashboard.load(path);
 * for (GrafanaDashboard.Query q : dashboard.queries()) System.out.println(q.panelTitle() + ": " + q.expr());
 * }</pre>
 */
final class GrafanaDashboard {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One target of one panel. */
    record Query(int panelId, String panelTitle, String refId, String expr) {
        /** cAdvisor series cannot exist here: no cAdvisor runs on the test machine. */
        boolean readsCadvisor() {
            return expr.contains("container_");
        }
    }

    /** A query template variable: its name and the query Grafana lists its values with. */
    record Variable(String name, String query) {}

    private final JsonNode root;

    GrafanaDashboard(JsonNode root) {
        this.root = root;
    }

    static GrafanaDashboard load(Path file) {
        try {
            return new GrafanaDashboard(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard " + file, e);
        }
    }

    static GrafanaDashboard parse(String json) {
        try {
            return new GrafanaDashboard(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a dashboard JSON: " + e.getMessage(), e);
        }
    }

    JsonNode root() {
        return root;
    }

    /** Every panel, rows included, with a row's collapsed children after it. */
    List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : root.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    /** Panels that draw data (every panel but rows). */
    List<JsonNode> dataPanels() {
        return panels().stream()
                .filter(p -> !"row".equals(p.path("type").asText()))
                .toList();
    }

    List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : dataPanels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(
                        panel.path("id").asInt(),
                        panel.path("title").asText(),
                        target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        return queries;
    }

    List<Variable> variables() {
        List<Variable> variables = new ArrayList<>();
        for (JsonNode variable : root.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            variables.add(new Variable(
                    variable.path("name").asText(),
                    query.isObject() ? query.path("query").asText() : query.asText()));
        }
        return variables;
    }
}
