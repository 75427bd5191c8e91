package dev.researchmon.magics.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The research dashboard as {@code %dashboard} draws it: the rows of the Grafana dashboard JSON
 * ({@code monitoring/grafana/provisioning/dashboards/research-environment.json}, packaged into
 * this jar at build time from that one file), each with its panels' titles, types, units and
 * PromQL targets, and the names of the template variables the queries may use.
 *
 * <pre>{@code
 * Dashboard d = Dashboard.packaged();
 * d.find("GPUs");                 // the GPUs row's panels
 * d.panel("Kernel memory");       // one panel
 * }</pre>
 */
public record Dashboard(String uid, String title, List<String> variables, List<Row> rows) {

    /** Where the build puts the provisioned dashboard in this jar. */
    static final String RESOURCE = "/dev/researchmon/magics/dashboard/research-environment.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A row of panels; panels before the first row form a row without a title. */
    public record Row(String title, List<Panel> panels) {
        public Row {
            panels = List.copyOf(panels);
        }
    }

    /**
     * A panel that draws data.
     *
     * @param decimals the decimals Grafana shows ({@code fieldConfig.defaults.decimals}), or -1: as many as suit
     */
    public record Panel(int id, String title, Type type, String unit, int decimals, List<Target> targets) {
        public Panel {
            targets = List.copyOf(targets);
        }
    }

    /** One PromQL target of a panel and its Grafana legend format (may be blank). */
    public record Target(String expr, String legendFormat) {}

    /** Grafana panel types {@code %dashboard} draws: a chart, or numbers. */
    public enum Type {
        TIMESERIES,
        STAT
    }

    public Dashboard {
        variables = List.copyOf(variables);
        rows = List.copyOf(rows);
    }

    /** The dashboard this jar was built with. */
    public static Dashboard packaged() {
        try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not in this jar: the magics module's build copies it "
                        + "from monitoring/grafana/provisioning/dashboards");
            }
            return parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the packaged dashboard " + RESOURCE, e);
        }
    }

    /** Reads a Grafana dashboard JSON; panels of types other than timeseries and stat are left out. */
    public static Dashboard parse(JsonNode root) {
        List<String> variables = new ArrayList<>();
        for (JsonNode v : root.path("templating").path("list")) {
            variables.add(v.path("name").asText());
        }
        List<Row> rows = new ArrayList<>();
        String rowTitle = "";
        List<Panel> panels = new ArrayList<>();
        for (JsonNode p : root.path("panels")) {
            if ("row".equals(p.path("type").asText())) {
                if (!panels.isEmpty() || !rowTitle.isEmpty()) {
                    rows.add(new Row(rowTitle, panels));
                }
                rowTitle = p.path("title").asText();
                panels = new ArrayList<>();
                // a collapsed row carries its panels inside it
                for (JsonNode child : p.path("panels")) {
                    panel(child).ifPresent(panels::add);
                }
            } else {
                panel(p).ifPresent(panels::add);
            }
        }
        if (!panels.isEmpty() || !rowTitle.isEmpty()) {
            rows.add(new Row(rowTitle, panels));
        }
        return new Dashboard(root.path("uid").asText(), root.path("title").asText(), variables, rows);
    }

    private static Optional<Panel> panel(JsonNode p) {
        Type type = switch (p.path("type").asText()) {
            case "timeseries", "graph" -> Type.TIMESERIES;
            case "stat", "gauge", "bargauge" -> Type.STAT;
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        List<Target> targets = new ArrayList<>();
        for (JsonNode t : p.path("targets")) {
            if (!t.path("hide").asBoolean(false) && !t.path("expr").asText().isBlank()) {
                targets.add(new Target(
                        t.path("expr").asText(), t.path("legendFormat").asText("")));
            }
        }
        JsonNode defaults = p.path("fieldConfig").path("defaults");
        return Optional.of(new Panel(
                p.path("id").asInt(),
                p.path("title").asText(),
                type,
                defaults.path("unit").asText(""),
                defaults.path("decimals").asInt(-1),
                targets));
    }

    /** Every panel, in the dashboard's order. */
    public List<Panel> panels() {
        return rows.stream().flatMap(r -> r.panels().stream()).toList();
    }

    /** The panel titled {@code title} (case ignored), if there is one. */
    public Optional<Panel> panel(String title) {
        return panels().stream().filter(p -> p.title().equalsIgnoreCase(title)).findFirst();
    }

    /** The row a panel is in. */
    public Row rowOf(Panel panel) {
        return rows.stream().filter(r -> r.panels().contains(panel)).findFirst().orElseThrow();
    }

    /**
     * What a name given to {@code %dashboard} means: a row's panels, a panel, or nothing (empty).
     * A row title wins over a panel title; a panel id works too.
     */
    public List<Panel> find(String name) {
        for (Row r : rows) {
            if (r.title().equalsIgnoreCase(name)) {
                return r.panels();
            }
        }
        Optional<Panel> p = panel(name);
        if (p.isPresent()) {
            return List.of(p.get());
        }
        if (name.matches("\\d+")) {
            return panels().stream()
                    .filter(x -> x.id() == Integer.parseInt(name))
                    .toList();
        }
        return List.of();
    }

    /** Titles containing {@code word}, to suggest when a name matches nothing. */
    public List<String> titlesLike(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        rows.forEach(r -> {
            if (r.title().toLowerCase(Locale.ROOT).contains(w)) {
                out.add(r.title());
            }
            r.panels().stream()
                    .filter(p -> p.title().toLowerCase(Locale.ROOT).contains(w))
                    .forEach(p -> out.add(p.title()));
        });
        return out;
    }
}
