package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes without a cluster: every resource the kustomization lists parses, and the fields
 * that make it work line up: the monitors select what the DaemonSet, its Service and a research pod
 * carry, by label and by port name; every series gets {@code host}; the pods run as non-root and
 * the RBAC only reads.
 */
class KubernetesManifestsTest {
    static final Path DIR = MonitoringFiles.repoRoot().resolve("deploy/kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<JsonNode> resources = load();

    private static List<JsonNode> load() {
        try {
            List<JsonNode> all = new ArrayList<>();
            JsonNode kustomization =
                    YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
            for (JsonNode file : kustomization.path("resources")) {
                all.addAll(documents(DIR.resolve(file.asText())));
            }
            return all;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DIR, e);
        }
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private JsonNode one(String kind, String name) {
        return resources.stream()
                .filter(r -> r.path("kind").asText().equals(kind)
                        && r.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the kustomization"));
    }

    private static boolean selects(JsonNode matchLabels, JsonNode labels) {
        if (matchLabels.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> containerPortNames(JsonNode podSpec) {
        Set<String> names = new HashSet<>();
        podSpec.path("containers")
                .forEach(c ->
                        c.path("ports").forEach(p -> names.add(p.path("name").asText())));
        return names;
    }

    @Test
    void everyResource_hasApiVersionKindAndName() {
        assertFalse(resources.isEmpty());
        for (JsonNode r : resources) {
            assertFalse(r.path("apiVersion").asText().isEmpty(), r.toString());
            assertFalse(r.path("kind").asText().isEmpty(), r.toString());
            assertFalse(r.at("/metadata/name").asText().isEmpty(), r.toString());
        }
    }

    @Test
    void daemonSet_runsNodeExporterAndTheSidecar_onGpuNodes_asNonRoot() {
        JsonNode ds = one("DaemonSet", "gpu-node-monitor");
        JsonNode pod = ds.at("/spec/template");
        assertTrue(
                selects(ds.at("/spec/selector/matchLabels"), pod.at("/metadata/labels")),
                "the DaemonSet selects its own pods");
        assertEquals(
                "true",
                pod.at("/spec/nodeSelector").path("nvidia.com/gpu.present").asText(),
                "GPU nodes only");
        Map<String, Integer> ports = new java.util.HashMap<>();
        pod.at("/spec/containers")
                .forEach(c -> c.path("ports")
                        .forEach(p -> ports.put(
                                p.path("name").asText(), p.path("containerPort").asInt())));
        assertEquals(Map.of("node-metrics", 9100, "gpu-metrics", 9464), ports);
        assertTrue(pod.at("/spec/securityContext/runAsNonRoot").asBoolean());
        for (JsonNode c : pod.at("/spec/containers")) {
            assertFalse(
                    c.at("/securityContext/privileged").asBoolean(false),
                    c.path("name").asText());
            assertFalse(
                    c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true),
                    c.path("name").asText());
            assertTrue(c.at("/resources/limits").has("memory"), c.path("name") + " has no memory limit");
            assertFalse(
                    c.at("/resources/limits").has("nvidia.com/gpu"),
                    "the monitor must not take a GPU from the researchers");
        }
        assertFalse(pod.at("/spec/automountServiceAccountToken").asBoolean(true), "it reads nothing from the API");
    }

    @Test
    void serviceMonitor_selectsTheDaemonSetsService_byLabelAndPortName() {
        JsonNode service = one("Service", "gpu-node-monitor");
        JsonNode pod = one("DaemonSet", "gpu-node-monitor").at("/spec/template");
        assertTrue(
                selects(service.at("/spec/selector"), pod.at("/metadata/labels")),
                "the Service selects the DaemonSet's pods");
        Set<String> podPorts = containerPortNames(pod.path("spec"));
        Set<String> servicePorts = new HashSet<>();
        for (JsonNode port : service.at("/spec/ports")) {
            servicePorts.add(port.path("name").asText());
            assertTrue(
                    podPorts.contains(port.path("targetPort").asText()),
                    "targetPort " + port + " is no container port");
        }
        JsonNode monitor = one("ServiceMonitor", "gpu-node-monitor");
        assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText());
        assertTrue(
                selects(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels")),
                "the ServiceMonitor selects the Service");
        assertEquals(2, monitor.at("/spec/endpoints").size());
        for (JsonNode endpoint : monitor.at("/spec/endpoints")) {
            assertTrue(servicePorts.contains(endpoint.path("port").asText()), endpoint + " names no Service port");
            assertSetsHostFromNode(endpoint);
        }
    }

    @Test
    void podMonitor_selectsAResearchPods_sidecarAndJupyter_asJobResearch() throws IOException {
        JsonNode monitor = one("PodMonitor", "research");
        JsonNode pod = documents(DIR.resolve("examples/research-pod.yaml")).get(0);
        assertTrue(
                selects(monitor.at("/spec/selector/matchLabels"), pod.at("/metadata/labels")),
                "the PodMonitor selects a research pod");
        Set<String> podPorts = containerPortNames(pod.path("spec"));
        Set<String> components = new HashSet<>();
        for (JsonNode endpoint : monitor.at("/spec/podMetricsEndpoints")) {
            assertTrue(
                    podPorts.contains(endpoint.path("port").asText()), endpoint + " names no port of the research pod");
            assertSetsHostFromNode(endpoint);
            for (JsonNode relabel : endpoint.path("relabelings")) {
                if (relabel.path("targetLabel").asText().equals("job")) {
                    assertEquals("research", relabel.path("replacement").asText(), "the dashboard's job name");
                }
                if (relabel.path("targetLabel").asText().equals("component")) {
                    components.add(relabel.path("replacement").asText());
                }
            }
        }
        assertEquals(Set.of("sidecar", "jupyter-server"), components, "told apart by component, as in prometheus.yml");
    }

    /** host = the node's name, as --host gives it on a machine: the dashboard's $host works on a cluster too. */
    private static void assertSetsHostFromNode(JsonNode endpoint) {
        boolean host = false;
        for (JsonNode relabel : endpoint.path("relabelings")) {
            host |= relabel.path("targetLabel").asText().equals("host")
                    && relabel.path("sourceLabels").toString().contains("__meta_kubernetes_pod_node_name");
        }
        assertTrue(host, endpoint + " does not set host from the node's name");
    }

    @Test
    void rbac_onlyReads() {
        Set<String> reads = Set.of("get", "list", "watch");
        int rules = 0;
        for (JsonNode r : resources) {
            if (r.path("kind").asText().endsWith("Role")) {
                for (JsonNode rule : r.path("rules")) {
                    rules++;
                    rule.path("verbs")
                            .forEach(v -> assertTrue(
                                    reads.contains(v.asText()),
                                    r.at("/metadata/name").asText() + " may " + v.asText()));
                    rule.path("resources")
                            .forEach(res -> assertFalse(res.asText().equals("secrets"), "no need to read secrets"));
                }
            }
        }
        assertTrue(rules > 0, "Prometheus needs to discover the pods");
        JsonNode binding = one("RoleBinding", "prometheus-discovery");
        assertEquals(
                one("Role", "prometheus-discovery").at("/metadata/name").asText(),
                binding.at("/roleRef/name").asText());
    }

    /**
     * What kustomization.yaml promises: the metrics endpoints (unauthenticated, as exporters are) are
     * reachable inside the cluster only. Nothing is published outside it: no NodePort or LoadBalancer
     * Service, no Ingress or Route, no host port, no host network.
     */
    @Test
    void nothing_isReachableFromOutsideTheCluster() {
        for (JsonNode r : resources) {
            String what = r.path("kind").asText() + " " + r.at("/metadata/name").asText();
            assertFalse(
                    Set.of("Ingress", "Route", "Gateway", "HTTPRoute")
                            .contains(r.path("kind").asText()),
                    what);
            if (r.path("kind").asText().equals("Service")) {
                String type = r.at("/spec/type").asText("ClusterIP");
                assertEquals("ClusterIP", type, what + " is published outside the cluster");
                assertTrue(r.at("/spec/externalIPs").isMissingNode(), what + " has external IPs");
            }
            JsonNode pod = r.at("/spec/template/spec");
            if (!pod.isMissingNode()) {
                assertFalse(pod.path("hostNetwork").asBoolean(false), what + " listens on the node's network");
                pod.path("containers")
                        .forEach(c -> c.path("ports")
                                .forEach(port -> assertTrue(
                                        port.path("hostPort").isMissingNode(),
                                        what + " publishes a host port: " + port)));
            }
        }
    }
}
