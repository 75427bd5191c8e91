package dev.researchmon.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.researchmon.report.ReportClient;
import dev.researchmon.report.SidecarEndpoints;
import dev.researchmon.sidecar.testing.ChildProcess;
import dev.researchmon.sidecar.testing.Http;
import dev.researchmon.sidecar.testing.Reports;
import dev.researchmon.sidecar.testing.StubNvml;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  @TempDir Path tmp;

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
    Path lib = StubNvml.configured(tmp.resolve("nvml"), Map.of(
        "STUB_NVML_GPUS", "2", "STUB_NVML_PROCESSES", "0:" + pid + ":1073741824"));
    int sidecarPort = Http.freePort();
    int prometheusPort = Http.freePort();
    Path config = Files.writeString(tmp.resolve("prometheus.yml"), researchJobConfig(sidecarPort));

    try (ChildProcess sidecar = ChildProcess.javaJar(JAR, List.of("--port", Integer.toString(sidecarPort),
            "--nvml-library", lib.toString(), "--kernel-ttl", "300"), Map.of(SidecarEndpoints.HOME_ENV, tmp.toString()));
         ChildProcess prometheus = ChildProcess.start(List.of("/usr/bin/prometheus",
            "--config.file=" + config, "--storage.tsdb.path=" + tmp.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:" + prometheusPort), Map.of())) {
      sidecar.awaitLine(l -> l.startsWith("metrics-sidecar listening on"), Duration.ofSeconds(30));
      new ReportClient(URI.create("http://127.0.0.1:" + sidecarPort),
          tmp.resolve(SidecarEndpoints.TOKEN_FILE_NAME))
          .report(Reports.report("k-prom", "prom.ipynb", pid, 1, 4));

      String api = "http://127.0.0.1:" + prometheusPort;
      JsonNode util = awaitSeries(api, "gpu_utilization_ratio{job=\"research\",component=\"sidecar\",gpu=\"1\"}", prometheus);
      assertEquals("0.51", util.get("value").get(1).asText());
      assertEquals("Stub GPU 1", util.get("metric").get("name").asText());
      assertEquals("GPU-00000000-0000-0000-0000-000000000001", util.get("metric").get("uuid").asText());
      assertEquals("85899345920",
          awaitSeries(api, "gpu_memory_total_bytes{gpu=\"0\"}", prometheus).get("value").get(1).asText());
      assertEquals("3", awaitSeries(api,
          "notebook_cells_executed_total{kernel_id=\"k-prom\",notebook=\"prom.ipynb\",status=\"ok\"}", prometheus)
          .get("value").get(1).asText());
      assertEquals("4", awaitSeries(api,
          "notebook_cell_duration_seconds_count{kernel_id=\"k-prom\"}", prometheus).get("value").get(1).asText());
      assertEquals("1073741824", awaitSeries(api,
          "gpu_notebook_memory_used_bytes{kernel_id=\"k-prom\",gpu=\"0\"}", prometheus).get("value").get(1).asText());
      assertEquals("1", awaitSeries(api, "up{job=\"research\"}", prometheus).get("value").get(1).asText());
    }
  }

  /** Polls the query API until the instant query returns exactly one series. */
  private static JsonNode awaitSeries(String api, String query, ChildProcess prometheus) throws Exception {
    String url = api + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = Http.get(url, null).body();
        JsonNode result = JSON.readTree(last).path("data").path("result");
        if (result.size() == 1) {
          return result.get(0);
        }
      } catch (java.io.IOException notUpYet) {
        last = notUpYet.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no single series for " + query + "; last answer: " + last
        + "\nprometheus output:\n" + prometheus.output());
  }
}
