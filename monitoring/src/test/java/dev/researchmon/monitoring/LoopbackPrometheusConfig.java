package dev.researchmon.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.researchmon.manager.prometheus.HostShipping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The project's prometheus.yml made runnable on loopback: targets mapped to {@code 127.0.0.1}
 * ports, the scrape and evaluation intervals shortened so a test need not wait minutes, and
 * relative paths (rule files, file_sd files) made absolute. Job names, labels, metrics paths and
 * rules stay as the project has them, which is what the live test is there to prove. Like every
 * Prometheus the environment manager sets up, it labels its series with the host ({@value #HOST}).
 *
 * <pre>{@code
 * Path config = new LoopbackPrometheusConfig(Map.of("node-exporter:9100", "127.0.0.1:41234"), "1s")
 *         .write(MonitoringFiles.prometheus().resolve("prometheus.yml"), tempDir.resolve("prometheus.yml"));
 * }</pre>
 */
final class LoopbackPrometheusConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The host label of the one host a live test runs. */
    static final String HOST = "test-host";

    private final Map<String, String> targets;
    private final String interval;

    /**
     * @param targets  project target ({@code host:port}) to loopback target; every target of the
     *                 project's file must be mapped, so a new job cannot slip past the test
     * @param interval the scrape and rule evaluation interval to use instead of 15s
     */
    LoopbackPrometheusConfig(Map<String, String> targets, String interval) {
        this.targets = Map.copyOf(targets);
        this.interval = interval;
    }

    Path write(Path source, Path destination) throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(source.toFile());
        Path base = source.toAbsolutePath().getParent();
        ObjectNode global = (ObjectNode) config.path("global");
        global.put("scrape_interval", interval);
        global.put("evaluation_interval", interval);
        absolutize((ArrayNode) config.path("rule_files"), base);
        // the manager's own code, so the test's Prometheus labels series exactly as a real host's does
        new HostShipping(HOST, Optional.empty(), Optional.empty()).applyTo(config, Path::toString);
        for (JsonNode alertmanager : config.path("alerting").path("alertmanagers")) {
            mapTargets(alertmanager);
        }
        for (JsonNode job : config.path("scrape_configs")) {
            mapTargets(job);
            for (JsonNode fileSd : job.path("file_sd_configs")) {
                absolutize((ArrayNode) fileSd.path("files"), base);
            }
        }
        YAML.writeValue(destination.toFile(), config);
        return destination;
    }

    private void mapTargets(JsonNode owner) {
        for (JsonNode group : owner.path("static_configs")) {
            ArrayNode list = (ArrayNode) group.path("targets");
            for (int i = 0; i < list.size(); i++) {
                String target = list.get(i).asText();
                String local = targets.get(target);
                if (local == null) {
                    throw new IllegalArgumentException("prometheus.yml has target " + target
                            + " that the test does not map to loopback (mapped: " + targets.keySet() + ")");
                }
                list.set(i, list.textNode(local));
            }
        }
    }

    private static void absolutize(ArrayNode paths, Path base) {
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i).asText();
            if (!path.startsWith("/")) {
                paths.set(i, paths.textNode(base.resolve(path).normalize().toString()));
            }
        }
    }
}
