package dev.researchmon.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Prometheus rule files and promtool rule tests of {@code monitoring/prometheus}, read as
 * plain YAML trees.
 *
 * <pre>{@code
 * for (RuleFiles.Rule rule : RuleFiles.recordingRules()) query(rule.expr());
 * }</pre>
 */
final class RuleFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One rule: {@code name} is the alert name or the recorded series' name. */
    record Rule(String file, String name, String expr, JsonNode node) {}

    private RuleFiles() {}

    static List<Rule> alertRules() {
        return rules("alert");
    }

    static List<Rule> recordingRules() {
        return rules("record");
    }

    /** Every promtool test file under {@code prometheus/tests}, parsed. */
    static List<JsonNode> ruleTests() {
        return yamlFiles(MonitoringFiles.prometheus().resolve("tests")).stream()
                .map(RuleFiles::read)
                .toList();
    }

    static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<Rule> rules(String kind) {
        List<Rule> rules = new ArrayList<>();
        for (Path file : yamlFiles(MonitoringFiles.prometheus().resolve("rules"))) {
            for (JsonNode group : read(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has(kind)) {
                        rules.add(new Rule(
                                file.getFileName().toString(),
                                rule.get(kind).asText(),
                                rule.path("expr").asText(),
                                rule));
                    }
                }
            }
        }
        return rules;
    }

    private static List<Path> yamlFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
