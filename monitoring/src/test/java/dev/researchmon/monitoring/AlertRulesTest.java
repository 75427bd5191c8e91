package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every alert must carry, and that the promtool tests cover each one both ways. */
class AlertRulesTest {
    private static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");

    /** The situations the issue asks alerts for; each must have at least one alert. */
    private static final List<String> REQUIRED_ALERTS = List.of(
            "TargetDown",
            "HostHighCpuUtilization",
            "HostMemoryHighUtilization",
            "HostMemoryFillingUp",
            "HostFilesystemSpaceFillingUp",
            "GpuTemperatureHigh",
            "GpuMemoryNearlyFull",
            "GpuUncorrectableEccErrors",
            "NotebookKernelSilent",
            "NotebookCellErrorBurst");

    @Test
    void everyAlert_hasSeveritySummaryAndDescription() {
        List<String> problems = new ArrayList<>();
        for (RuleFiles.Rule alert : RuleFiles.alertRules()) {
            String severity = alert.node().path("labels").path("severity").asText();
            if (!SEVERITIES.contains(severity)) {
                problems.add(alert.name() + ": severity '" + severity + "' is not one of " + SEVERITIES);
            }
            for (String annotation : List.of("summary", "description")) {
                if (alert.node().path("annotations").path(annotation).asText().isBlank()) {
                    problems.add(alert.name() + ": no " + annotation);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void alertNames_areUnique_andCoverTheRequiredSituations() {
        Set<String> names = new HashSet<>();
        for (RuleFiles.Rule alert : RuleFiles.alertRules()) {
            assertTrue(names.add(alert.name()), "alert defined twice: " + alert.name());
        }
        assertTrue(
                names.containsAll(REQUIRED_ALERTS),
                "missing alerts: "
                        + REQUIRED_ALERTS.stream()
                                .filter(n -> !names.contains(n))
                                .toList());
    }

    @Test
    void everyAlert_hasAFiringAndANotFiringRuleTest() {
        Set<String> firing = new HashSet<>();
        Set<String> notFiring = new HashSet<>();
        for (JsonNode file : RuleFiles.ruleTests()) {
            for (JsonNode test : file.path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    String name = check.path("alertname").asText();
                    boolean expectsAlerts = check.path("exp_alerts").size() > 0;
                    (expectsAlerts ? firing : notFiring).add(name);
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (RuleFiles.Rule alert : RuleFiles.alertRules()) {
            if (!firing.contains(alert.name())) {
                missing.add(alert.name() + " has no firing case");
            }
            if (!notFiring.contains(alert.name())) {
                missing.add(alert.name() + " has no not-firing case");
            }
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    @Test
    void everyRecordingRule_followsLevelMetricOperationsNaming() {
        List<RuleFiles.Rule> rules = RuleFiles.recordingRules();
        assertFalse(rules.isEmpty());
        for (RuleFiles.Rule rule : rules) {
            assertTrue(
                    rule.name().matches("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+"),
                    rule.name() + " is not named level:metric:operations");
        }
    }
}
