package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Many hosts ship into one store: every panel reads the hosts chosen in {@code $host}, and no panel
 * or rule adds up series of different hosts (every aggregation keeps {@code host}). The store-side
 * proof that they return data per host is MultiHostIT.
 */
class PerHostQueriesTest {
    private static final Pattern AGGREGATION = Pattern.compile(
            "\\b(sum|avg|max|min|count|stddev|stdvar|group)\\s*(?:(by|without)\\s*\\(([^)]*)\\))?\\s*\\(");
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:])([a-zA-Z_:][\\w:]*)\\s*\\{([^}]*)}");

    /** Why an expression would add series of several hosts together, or null when it keeps them apart. */
    static String collapsesHosts(String expr) {
        Matcher m = AGGREGATION.matcher(expr);
        while (m.find()) {
            List<String> labels = m.group(3) == null
                    ? List.of()
                    : List.of(m.group(3).split("\\s*,\\s*")).stream()
                            .map(String::trim)
                            .toList();
            if (m.group(2) == null) {
                return "'" + m.group(1) + "(' without 'by (host, ...)' adds up every host";
            }
            if (m.group(2).equals("by") && !labels.contains("host")) {
                return "'" + m.group(0).trim() + "' drops host";
            }
            if (m.group(2).equals("without") && labels.contains("host")) {
                return "'" + m.group(0).trim() + "' drops host";
            }
        }
        return null;
    }

    @Test
    void everyPanelQuery_selectsTheChosenHosts() {
        List<String> problems = new ArrayList<>();
        for (GrafanaDashboard.Query query :
                GrafanaDashboard.load(DashboardStructureTest.DASHBOARD).queries()) {
            Matcher m = SELECTOR.matcher(query.expr());
            boolean any = false;
            while (m.find()) {
                any = true;
                if (!m.group(2).contains("host=~\"$host\"")) {
                    problems.add(query.panelTitle() + " " + query.refId() + ": " + m.group(1) + " ignores $host");
                }
            }
            if (!any) {
                problems.add(query.panelTitle() + " " + query.refId() + ": no selector with host=~\"$host\": "
                        + query.expr());
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void noPanelQuery_addsHostsTogether() {
        List<String> problems = new ArrayList<>();
        for (GrafanaDashboard.Query query :
                GrafanaDashboard.load(DashboardStructureTest.DASHBOARD).queries()) {
            String why = collapsesHosts(query.expr());
            if (why != null) {
                problems.add(query.panelTitle() + " " + query.refId() + ": " + why);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void noRecordingOrAlertRule_addsHostsTogether() {
        List<String> problems = new ArrayList<>();
        List<RuleFiles.Rule> rules = new ArrayList<>(RuleFiles.recordingRules());
        rules.addAll(RuleFiles.alertRules());
        for (RuleFiles.Rule rule : rules) {
            String why = collapsesHosts(rule.expr());
            if (why != null) {
                problems.add(rule.file() + " " + rule.name() + ": " + why);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void hostVariable_listsTheHostsAndMatchesSeriesWithoutHostWhenAllIsChosen() {
        var host = GrafanaDashboard.load(DashboardStructureTest.DASHBOARD)
                .root()
                .path("templating")
                .path("list")
                .get(0);
        assertEquals("host", host.path("name").asText(), "$host comes first: it narrows every other variable's choice");
        assertEquals("label_values(up, host)", host.path("query").path("query").asText());
        assertTrue(host.path("includeAll").asBoolean() && host.path("multi").asBoolean());
        // a Prometheus not set up by the manager has no host label: "All" must still show its series
        assertEquals(".*", host.path("allValue").asText());
    }

    @Test
    void collapsingExpressions_areRecognised() {
        assertTrue(collapsesHosts("sum(rate(x[5m]))") != null);
        assertTrue(collapsesHosts("count by (instance) (x)") != null);
        assertTrue(collapsesHosts("avg without (host, cpu) (x)") != null);
        assertEquals(null, collapsesHosts("sum by (host, instance) (rate(x[5m]))"));
        assertEquals(null, collapsesHosts("1 - avg without (cpu) (sum without (mode) (rate(x[5m])))"));
        assertEquals(null, collapsesHosts("histogram_quantile(0.5, sum by (host, le) (rate(x_bucket[5m])))"));
    }
}
