package dev.researchmon.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.researchmon.report.KernelReport;
import dev.researchmon.report.MetricFamily;
import dev.researchmon.report.MetricPoint;
import dev.researchmon.report.MetricType;
import dev.researchmon.report.ReportClient;
import dev.researchmon.report.SidecarEndpoints;
import dev.researchmon.sidecar.testing.Http;
import dev.researchmon.sidecar.testing.Reports;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.LocalPrometheus;
import dev.researchmon.testkit.ManagedProcess;
import dev.researchmon.testkit.StubNvml;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus scrapes the running sidecar with the {@code research} job of
 * monitoring/prometheus/prometheus.yml (targets moved to loopback, interval shortened), and its
 * query API returns the stub GPUs' values and a reporting kernel's series.
 */
class SidecarPrometheusIT {
    private static final String JAR = System.getProperty("sidecar.jar", "target/metrics-sidecar.jar");
    private static final Path PROMETHEUS_YML =
            Path.of(System.getProperty("repo.root", ".."), "monitoring/prometheus/prometheus.yml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The research job as the repository defines it, with only its sidecar target, on loopback. */
    static String researchJobConfig(int sidecarPort) throws Exception {
        JsonNode config = YAML.readTree(PROMETHEUS_YML.toFile());
        ObjectNode research = null;
        for (JsonNode job : config.get("scrape_configs")) {
            if (job.get("job_name").asText().equals("research")) {
                research = (ObjectNode) job.deepCopy();
            }
        }
        if (research == null) {
            throw new AssertionError("no research job in " + PROMETHEUS_YML);
        }
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode group : research.get("static_configs")) {
            for (JsonNode target : group.get("targets")) {
                if (target.asText().endsWith(":" + SidecarEndpoints.DEFAULT_PORT)) {
                    ObjectNode loopback = ((ObjectNode) group.deepCopy());
                    loopback.set("targets", JSON.createArrayNode().add("127.0.0.1:" + sidecarPort));
                    kept.add(loopback);
                }
            }
        }
        if (kept.isEmpty()) {
            throw new AssertionError("the research job has no sidecar target (port 9464)");
        }
        research.set("static_configs", kept);
        research.put("scrape_interval", "1s");
        ObjectNode out = YAML.createObjectNode();
        out.putObject("global").put("scrape_interval", "1s").put("evaluation_interval", "1s");
        out.putArray("scrape_configs").add(research);
        return YAML.writeValueAsString(out);
    }

    @Test
    void prometheusResearchJob_scrapesGpuAndNotebookSeries() throws Exception {
        long pid = ProcessHandle.current().pid();
        Path lib = StubNvml.configured(
                tmp.resolve("nvml"), Map.of("STUB_NVML_GPUS", "2", "STUB_NVML_PROCESSES", "0:" + pid + ":1073741824"));
        int sidecarPort = FreePort.loopback();

        try (ManagedProcess sidecar = ManagedProcess.start(
                        "sidecar",
                        List.of(
                                ManagedProcess.javaBinary(),
                                "-Xmx128m",
                                "-XX:+UseSerialGC",
                                "-jar",
                                JAR,
                                "--port",
                                Integer.toString(sidecarPort),
                                "--nvml-library",
                                lib.toString(),
                                "--kernel-ttl",
                                "300"),
                        Map.of(SidecarEndpoints.HOME_ENV, tmp.toString()),
                        tmp.resolve("logs"));
                LocalPrometheus prometheus = LocalPrometheus.start(
                        tmp.resolve("prometheus"), FreePort.loopback(), researchJobConfig(sidecarPort))) {
            sidecar.awaitLine(Pattern.compile("metrics-sidecar listening on.*"), Duration.ofSeconds(30));
            ReportClient client = new ReportClient(
                    URI.create("http://127.0.0.1:" + sidecarPort), tmp.resolve(SidecarEndpoints.TOKEN_FILE_NAME));
            client.report(Reports.report("k-prom", "prom.ipynb", pid, 1, 4));

            JsonNode util =
                    awaitSeries(prometheus, "gpu_utilization_ratio{job=\"research\",component=\"sidecar\",gpu=\"1\"}");
            assertEquals("0.51", util.get("value").get(1).asText());
            assertEquals("Stub GPU 1", util.get("metric").get("name").asText());
            assertEquals(
                    "GPU-00000000-0000-0000-0000-000000000001",
                    util.get("metric").get("uuid").asText());
            assertEquals(
                    "85899345920",
                    awaitSeries(prometheus, "gpu_memory_total_bytes{gpu=\"0\"}")
                            .get("value")
                            .get(1)
                            .asText());
            assertEquals(
                    "3",
                    awaitSeries(
                                    prometheus,
                                    "notebook_cells_executed_total{kernel_id=\"k-prom\",notebook=\"prom.ipynb\",status=\"ok\"}")
                            .get("value")
                            .get(1)
                            .asText());
            assertEquals(
                    "4",
                    awaitSeries(prometheus, "notebook_cell_duration_seconds_count{kernel_id=\"k-prom\"}")
                            .get("value")
                            .get(1)
                            .asText());
            assertEquals(
                    "1073741824",
                    awaitSeries(prometheus, "gpu_notebook_memory_used_bytes{kernel_id=\"k-prom\",gpu=\"0\"}")
                            .get("value")
                            .get(1)
                            .asText());
            assertEquals(
                    "1",
                    awaitSeries(prometheus, "up{job=\"research\"}")
                            .get("value")
                            .get(1)
                            .asText());

            // A kernel reports its last values and is already gone, and a second reader (a %gpu loop, a
            // curl) reads /metrics again and again: it changes nothing, Prometheus still gets them.
            Process exited = new ProcessBuilder("true").start();
            exited.waitFor();
            client.report(new KernelReport(
                    "k-last",
                    "last.ipynb",
                    exited.pid(),
                    1,
                    List.of(new MetricFamily(
                            "last_words",
                            "A kernel's last value.",
                            null,
                            MetricType.GAUGE,
                            List.of(MetricPoint.ofValue(Map.of(), 42))))));
            // (within the default 20 s a gone kernel stays; before, the second read already removed it)
            long readUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            for (int i = 0; i < 20 && System.nanoTime() < readUntil; i++) {
                assertTrue(
                        Http.metrics(sidecarPort).contains("last_words{kernel_id=\"k-last\""),
                        "read " + i + " of the second reader no longer shows the gone kernel");
            }
            assertEquals(
                    "42",
                    awaitSeries(prometheus, "last_words{kernel_id=\"k-last\"}")
                            .get("value")
                            .get(1)
                            .asText());
        }
    }

    /** Polls the query API until the instant query returns series; there must be exactly one. */
    private static JsonNode awaitSeries(LocalPrometheus prometheus, String query) throws Exception {
        JsonNode result = prometheus.awaitSeries(query, Duration.ofSeconds(40));
        assertEquals(1, result.size(), "one series for " + query + ": " + result);
        return result.get(0);
    }
}
