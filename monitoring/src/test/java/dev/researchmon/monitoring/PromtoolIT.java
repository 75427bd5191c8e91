package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.testkit.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus configuration, rules and rule unit tests, as Debian's promtool sees them. */
class PromtoolIT {
    // A JSON string is a valid YAML double-quoted scalar: the simplest safe quoting for PromQL.
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path prometheus = MonitoringFiles.prometheus();

    @Test
    void prometheusConfig_passesPromtoolCheckConfig() throws Exception {
        // check config also loads and checks every rule file the config names.
        Promtool.Result result = Promtool.run(prometheus, "check", "config", "prometheus.yml");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("rules found"), "the config must load its rule files:\n" + result.output());
    }

    @Test
    void ruleFiles_passPromtoolCheckRules() throws Exception {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        args.addAll(relativeYamlFiles("rules"));
        Promtool.Result result = Promtool.run(prometheus, args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void ruleUnitTests_passPromtoolTestRules() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        args.addAll(relativeYamlFiles("tests"));
        Promtool.Result result = Promtool.run(prometheus, args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(!result.output().contains("FAILED"), result.output());
    }

    /** Every panel's PromQL (cAdvisor's included) parses, checked offline as recording rules. */
    @Test
    void everyDashboardQuery_parsesAsPromql(@TempDir Path dir) throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.load(DashboardStructureTest.DASHBOARD);
        Map<String, List<String>> values = new HashMap<>();
        dashboard.variables().forEach(v -> values.put(v.name(), List.of("0", "a.b")));
        QueryTemplate template = new QueryTemplate(values, "1m", "1h");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (GrafanaDashboard.Query query : dashboard.queries()) {
            rules.append("      - record: dashboard:panel_")
                    .append(query.panelId())
                    .append(':')
                    .append(query.refId().toLowerCase())
                    .append("_")
                    .append(n++)
                    .append('\n')
                    .append("        expr: ")
                    .append(JSON.writeValueAsString(template.expand(query.expr())))
                    .append('\n');
        }
        Files.writeString(dir.resolve("dashboard.yml"), rules);
        Promtool.Result result = Promtool.run(dir, "check", "rules", "dashboard.yml");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains(n + " rules found"), result.output());
    }

    /** Guards the guard: a rule test that expects the wrong thing must make this suite red. */
    @Test
    void ruleUnitTest_expectingAnAlertThatCannotFire_fails(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("tests"));
        Files.writeString(dir.resolve("tests/wrong_test.yml"), """
                rule_files:
                  - %s
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'up{job="research", instance="research:9464"}'
                        values: '1x10'
                    alert_rule_test:
                      - eval_time: 10m
                        alertname: TargetDown
                        exp_alerts:
                          - exp_labels: {severity: warning, job: research, instance: 'research:9464'}
                """.formatted(prometheus.resolve("rules/alerts.yml")));
        Promtool.Result result = Promtool.run(dir, "test", "rules", "tests/wrong_test.yml");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("FAILED"), result.output());
    }

    @Test
    void ruleWithInvalidExpression_isRejectedByCheckRules(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.yml"), """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: rate(up[5m]
                """);
        Promtool.Result result = Promtool.run(dir, "check", "rules", "broken.yml");
        assertNotEquals(0, result.exitCode(), result.output());
    }

    private List<String> relativeYamlFiles(String folder) throws IOException {
        try (Stream<Path> files = Files.list(prometheus.resolve(folder))) {
            List<String> names = files.filter(p -> p.getFileName().toString().endsWith(".yml"))
                    .map(p -> prometheus.relativize(p).toString())
                    .sorted()
                    .toList();
            assertTrue(!names.isEmpty(), "no .yml files under " + folder);
            return names;
        }
    }
}
