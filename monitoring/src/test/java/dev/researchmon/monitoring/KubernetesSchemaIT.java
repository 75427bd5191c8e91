package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes against the schemas a cluster would use, without a cluster: the Kubernetes API's
 * OpenAPI schema and the Prometheus Operator's CRD schema, from npm's kubernetes-models packages
 * (installed by bin/setup into deploy/kubernetes/validate), run by node.
 */
class KubernetesSchemaIT {
    static final Path VALIDATE = KubernetesManifestsTest.DIR.resolve("validate");

    @Test
    void everyManifest_andTheExampleResearchPod_matchTheirSchemas() throws Exception {
        List<String> files = new ArrayList<>();
        JsonNode kustomization = new ObjectMapper(new YAMLFactory())
                .readTree(KubernetesManifestsTest.DIR
                        .resolve("kustomization.yaml")
                        .toFile());
        kustomization
                .path("resources")
                .forEach(r -> files.add(
                        KubernetesManifestsTest.DIR.resolve(r.asText()).toString()));
        files.add(KubernetesManifestsTest.DIR
                .resolve("examples/research-pod.yaml")
                .toString());
        Result r = validate(files);
        assertEquals(0, r.code(), r.output());
        assertEquals(
                9,
                r.output().lines().filter(l -> l.startsWith("ok ")).count(),
                "one line per resource:\n" + r.output());
    }

    @Test
    void aMistake_isRejectedNamingTheField(@TempDir Path dir) throws Exception {
        String monitor = Files.readString(KubernetesManifestsTest.DIR.resolve("servicemonitor.yaml"))
                .replace("port: node-metrics", "port: 9100"); // a number where the CRD wants a port name
        Path broken = Files.writeString(dir.resolve("servicemonitor.yaml"), monitor);
        Result r = validate(List.of(broken.toString()));
        assertEquals(1, r.code(), r.output());
        assertTrue(r.output().contains("endpoints/0/port must be string"), r.output());
    }

    record Result(int code, String output) {}

    private static Result validate(List<String> files) throws Exception {
        assertTrue(
                Files.isDirectory(VALIDATE.resolve("node_modules/kubernetes-models")),
                "the schemas are missing: run bin/setup (npm ci in " + VALIDATE + ")");
        List<String> command =
                new ArrayList<>(List.of("node", VALIDATE.resolve("validate.mjs").toString()));
        command.addAll(files);
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "node did not finish");
        return new Result(node.exitValue(), output);
    }
}
