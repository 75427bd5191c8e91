package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.LocalPrometheus;
import dev.researchmon.testkit.ManagedProcess;
import dev.researchmon.testkit.StubNvml;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that the dashboard and the recording rules show data: Debian's Prometheus (with the
 * project's prometheus.yml, only targets and intervals rewritten, and its rule files) scrapes
 * Debian's node-exporter, Jupyter's notebook server, the sidecar reading a stub NVML compiled
 * here with gcc, and through the sidecar the project's kernel, started by jupyter_client, running
 * cells with {@code %monitoring on} (src/test/python/monitored_kernel.py). Then
 * every expression of every panel and every recording rule goes through the query API and must
 * return data. cAdvisor cannot run here: its panels must still be accepted by Prometheus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardQueriesIT {
    /** Short intervals so windows fill in seconds; panels use $__rate_interval = 4 scrapes, as Grafana does. */
    private static final String SCRAPE_INTERVAL = "1s";

    private static final String RATE_INTERVAL = "10s";
    private static final String RANGE = "5m";
    private static final Duration DATA_DEADLINE = Duration.ofSeconds(90);
    private static final String NOTEBOOK = "experiments/train.ipynb";
    private static final long GPU0_NOTEBOOK_BYTES = 3L << 30;
    private static final String KERNEL_NAME = "research-monitoring-it";

    private Path work;

    private final List<ManagedProcess> processes = new ArrayList<>();
    private long kernelPid;
    private String alertmanagerUrl;
    private LocalPrometheus prometheus;
    private GrafanaDashboard dashboard;

    @BeforeAll
    void startTheStack(@TempDir Path work) throws Exception {
        this.work = work;
        Path repo = MonitoringFiles.repoRoot();
        Path sidecarJar = repo.resolve("sidecar/target/metrics-sidecar.jar");
        assertTrue(Files.isRegularFile(sidecarJar), "build the sidecar first (mvn package): " + sidecarJar);
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path state = Files.createDirectories(work.resolve("state"));
        Path nvml = StubNvml.compiled();

        int prometheusPort = FreePort.loopback();
        int exporterPort = FreePort.loopback();
        int jupyterPort = FreePort.loopback();
        int sidecarPort = FreePort.loopback();
        int alertmanagerPort = FreePort.loopback();
        int nobodyPort = FreePort.loopback(); // cAdvisor cannot run here: its target stays down

        Path jupyterHome = Files.createDirectories(work.resolve("jupyter"));
        Map<String, String> jupyterEnv = Map.of(
                "HOME", jupyterHome.toString(),
                "JUPYTER_RUNTIME_DIR", jupyterHome.resolve("runtime").toString(),
                "JUPYTER_DATA_DIR", jupyterHome.resolve("data").toString(),
                "JUPYTER_CONFIG_DIR", jupyterHome.resolve("config").toString());
        installKernelspec(repo, jupyterEnv, logs);

        // A notebook kernel first, started by jupyter_client: the stub NVML is then told its pid,
        // so the sidecar attributes GPU memory to it.
        Map<String, String> kernelEnv = new HashMap<>(jupyterEnv);
        kernelEnv.put("JPY_SESSION_NAME", NOTEBOOK);
        kernelEnv.put("RESEARCH_MONITOR_SIDECAR_URL", "http://127.0.0.1:" + sidecarPort);
        kernelEnv.put("RESEARCH_MONITOR_HOME", state.toString());
        ManagedProcess notebook = start(
                "notebook",
                List.of(
                        "/usr/bin/python3",
                        MonitoringFiles.root()
                                .resolve("src/test/python/monitored_kernel.py")
                                .toString(),
                        KERNEL_NAME),
                kernelEnv,
                logs);
        kernelPid = Long.parseLong(notebook.awaitLine(Pattern.compile("pid (\\d+)"), Duration.ofSeconds(90))
                .group(1));

        Map<String, String> sidecarEnv = new HashMap<>();
        sidecarEnv.put("RESEARCH_MONITOR_HOME", state.toString());
        // GPU 0 with GPM and per-process activity, GPU 1 without GPM (the activity panel falls back
        // to NVML's utilization), GPU 2 in MIG mode with two GPU instances.
        sidecarEnv.put("STUB_NVML_GPUS", "3");
        sidecarEnv.put("STUB_NVML_UNSUPPORTED", "1:gpm");
        sidecarEnv.put("STUB_NVML_PROCESSES", "0:" + kernelPid + ":" + GPU0_NOTEBOOK_BYTES);
        sidecarEnv.put("STUB_NVML_PROCESS_UTIL", "0:" + kernelPid + ":35:10,1:999999999:5:1");
        sidecarEnv.put("STUB_NVML_MIG", "2:1:1g.10gb:9728,2:2:3g.40gb:40192");
        // a counter that grows, so the per-notebook energy panels have something to share
        sidecarEnv.put("STUB_NVML_ENERGY_GROWS", "1");
        // One XID event, so the XID panel and GpuXidError's expression have a series to show.
        sidecarEnv.put("STUB_NVML_XID", "1:79");
        start(
                "sidecar",
                List.of(
                        ManagedProcess.javaBinary(),
                        "-jar",
                        sidecarJar.toString(),
                        "--port",
                        String.valueOf(sidecarPort),
                        "--bind",
                        "127.0.0.1",
                        "--nvml-library",
                        nvml.toString()),
                sidecarEnv,
                logs);
        URI sidecarHealth = URI.create("http://127.0.0.1:" + sidecarPort + "/-/healthy");
        // Only once the sidecar answers: %monitoring on would otherwise start a sidecar of its own.
        waitFor("the sidecar", Duration.ofSeconds(30), () -> answers200(sidecarHealth));
        notebook.sendLine("go");
        notebook.awaitLine(Pattern.compile("monitoring on: ok"), Duration.ofSeconds(60));

        start(
                "node-exporter",
                List.of(
                        "/usr/bin/prometheus-node-exporter",
                        "--no-collector.systemd",
                        "--web.listen-address=127.0.0.1:" + exporterPort),
                Map.of(),
                logs);

        start(
                "jupyter",
                List.of(
                        "/usr/bin/jupyter",
                        "notebook",
                        "--no-browser",
                        "--allow-root",
                        "--ip=127.0.0.1",
                        "--port=" + jupyterPort,
                        "--port-retries=0",
                        "--NotebookApp.token=" + UUID.randomUUID(),
                        "--NotebookApp.authenticate_prometheus=False",
                        "--notebook-dir=" + jupyterHome),
                jupyterEnv,
                logs);

        start(
                "alertmanager",
                List.of(
                        "/usr/bin/prometheus-alertmanager",
                        "--config.file=" + MonitoringFiles.root().resolve("alertmanager/alertmanager.yml"),
                        "--storage.path=" + work.resolve("alertmanager"),
                        "--web.listen-address=127.0.0.1:" + alertmanagerPort,
                        "--cluster.listen-address="),
                Map.of(),
                logs);
        alertmanagerUrl = "http://127.0.0.1:" + alertmanagerPort + "/api/v2/alerts";

        Path config = new LoopbackPrometheusConfig(
                        Map.of(
                                "localhost:9090", "127.0.0.1:" + prometheusPort,
                                "node-exporter:9100", "127.0.0.1:" + exporterPort,
                                "research:8888", "127.0.0.1:" + jupyterPort,
                                "research:9464", "127.0.0.1:" + sidecarPort,
                                "cadvisor:8080", "127.0.0.1:" + nobodyPort,
                                "alertmanager:9093", "127.0.0.1:" + alertmanagerPort),
                        SCRAPE_INTERVAL)
                .write(MonitoringFiles.prometheus().resolve("prometheus.yml"), work.resolve("prometheus.yml"));
        prometheus = LocalPrometheus.start(
                work.resolve("prometheus"),
                prometheusPort,
                Files.readString(config),
                "--storage.tsdb.retention.time=15d");
        processes.add(prometheus.process());

        dashboard = GrafanaDashboard.load(DashboardStructureTest.DASHBOARD);
        // start() has waited for readiness; this also checks that no target died meanwhile.
        waitFor("Prometheus ready", Duration.ofSeconds(30), prometheus::ready);
    }

    @AfterAll
    void stopTheStack() {
        // Reverse order: Prometheus stops scraping before its targets go.
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        // The driver shuts its kernel down on SIGTERM; should it have failed to, end the kernel here.
        if (kernelPid > 0) {
            ProcessHandle.of(kernelPid).ifPresent(ManagedProcess::stop);
        }
    }

    @Test
    void everyPanelQuery_returnsLiveData_andCadvisorPanelsParse() throws Exception {
        Map<String, List<String>> variables = awaitVariableValues();
        QueryTemplate template = new QueryTemplate(variables, RATE_INTERVAL, RANGE);
        List<Check> checks = new ArrayList<>();
        for (GrafanaDashboard.Query query : dashboard.queries()) {
            checks.add(new Check(
                    "panel '" + query.panelTitle() + "' " + query.refId(),
                    template.expand(query.expr()),
                    !query.readsCadvisor()));
        }
        assertAllAnswer(checks);
    }

    @Test
    void everyRecordingRule_returnsLiveData_asExpressionAndAsRecordedSeries() throws Exception {
        List<Check> checks = new ArrayList<>();
        for (RuleFiles.Rule rule : RuleFiles.recordingRules()) {
            checks.add(new Check("rule " + rule.name() + " (expr)", rule.expr(), true));
            checks.add(new Check("rule " + rule.name() + " (recorded)", rule.name(), true));
        }
        assertAllAnswer(checks);
    }

    @Test
    void everyRule_isLoadedAndEvaluatesWithoutError() throws Exception {
        int expected =
                RuleFiles.recordingRules().size() + RuleFiles.alertRules().size();
        waitFor("every rule evaluated", DATA_DEADLINE, () -> {
            List<JsonNode> rules = loadedRules();
            return rules.size() == expected
                    && rules.stream()
                            .noneMatch(r -> "unknown".equals(r.path("health").asText()));
        });
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode rule : loadedRules()) {
            if (!"ok".equals(rule.path("health").asText())) {
                unhealthy.add(
                        rule.path("name").asText() + ": " + rule.path("health").asText() + " "
                                + rule.path("lastError").asText());
            }
        }
        assertEquals(expected, loadedRules().size(), "Prometheus did not load every rule of rules/");
        assertTrue(unhealthy.isEmpty(), String.join("\n", unhealthy));
    }

    @Test
    void researchJob_scrapesTheJupyterServerAndTheSidecar_toldApartByComponent() throws Exception {
        waitFor(
                "research targets up",
                DATA_DEADLINE,
                () -> prometheus
                        .query("count(up{job=\"research\"} == 1)")
                        .path("data")
                        .path("result")
                        .path(0)
                        .path("value")
                        .path(1)
                        .asText()
                        .equals("2"));
        for (String component : List.of("jupyter-server", "sidecar")) {
            JsonNode result = prometheus
                    .query("up{job=\"research\", component=\"" + component + "\"}")
                    .path("data")
                    .path("result");
            assertEquals(1, result.size(), component + ": " + result);
            assertEquals("1", result.get(0).path("value").path(1).asText(), component + " is down: " + logs());
        }
    }

    @Test
    void alerts_goToTheConfiguredAlertmanager() throws Exception {
        waitFor(
                "Alertmanager discovered",
                DATA_DEADLINE,
                () -> prometheus
                        .get("/api/v1/alertmanagers")
                        .path("data")
                        .path("activeAlertmanagers")
                        .findValuesAsText("url")
                        .contains(alertmanagerUrl));
    }

    @Test
    void gpuMemoryPerNotebook_isAttributedToTheReportingKernel() throws Exception {
        String expr = "sum by (notebook, gpu) (gpu_notebook_memory_used_bytes{notebook=\"" + NOTEBOOK + "\"})";
        waitFor("per-notebook GPU memory", DATA_DEADLINE, () -> !resultOf(expr).isEmpty());
        JsonNode series = resultOf(expr).get(0);
        assertEquals("0", series.path("metric").path("gpu").asText(), series.toString());
        assertEquals((double) GPU0_NOTEBOOK_BYTES, series.path("value").path(1).asDouble(), series.toString());
    }

    @Test
    void gpuActivityPerNotebook_isAttributedToTheReportingKernel_andTheRestToOther() throws Exception {
        String mine = "gpu_notebook_utilization_ratio{notebook=\"" + NOTEBOOK + "\"}";
        waitFor(
                "per-notebook GPU activity",
                DATA_DEADLINE,
                () -> !resultOf(mine).isEmpty());
        JsonNode series = resultOf(mine).get(0);
        assertEquals("0", series.path("metric").path("gpu").asText(), series.toString());
        assertEquals(0.35, series.path("value").path(1).asDouble(), 1e-9, series.toString());
        JsonNode other = resultOf("gpu_notebook_utilization_ratio{notebook=\"other\", gpu=\"1\"}");
        assertEquals(0.05, other.get(0).path("value").path(1).asDouble(), 1e-9, other.toString());
    }

    @Test
    void gpuActivityPanel_showsSmActivityWhereGpmIs_andUtilizationElsewhere() throws Exception {
        GrafanaDashboard.Query activity = dashboard.queries().stream()
                .filter(q -> q.panelTitle().equals("GPU activity") && q.refId().equals("A"))
                .findFirst()
                .orElseThrow();
        String expr = new QueryTemplate(awaitVariableValues(), RATE_INTERVAL, RANGE).expand(activity.expr());
        waitFor(
                "GPM activity of GPU 0 and 2",
                DATA_DEADLINE,
                () -> resultOf(expr).size() == 3
                        && resultOf(expr).findValuesAsText("source").contains("SM active"));
        Map<String, String> sourceByGpu = new HashMap<>();
        resultOf(expr)
                .forEach(s -> sourceByGpu.put(
                        s.path("metric").path("gpu").asText(),
                        s.path("metric").path("source").asText()));
        assertEquals(Map.of("0", "SM active", "1", "kernel running (no GPM)", "2", "SM active"), sourceByGpu);
    }

    /** A query, and whether it must return series (false: it only has to be valid PromQL). */
    private record Check(String what, String expr, boolean needsData) {}

    /** Polls until every check answers as required, then reports every one that never did. */
    private void assertAllAnswer(List<Check> checks) throws Exception {
        Instant deadline = Instant.now().plus(DATA_DEADLINE);
        Map<Check, String> failing = new LinkedHashMap<>();
        do {
            failing.clear();
            for (Check check : checks) {
                JsonNode answer = prometheus.query(check.expr());
                if (!"success".equals(answer.path("status").asText())) {
                    failing.put(
                            check,
                            "rejected: " + answer.path("errorType").asText() + " "
                                    + answer.path("error").asText());
                } else if (check.needsData()
                        && answer.path("data").path("result").isEmpty()) {
                    failing.put(check, "no data");
                }
            }
            if (failing.values().stream().anyMatch(reason -> reason.startsWith("rejected"))) {
                break; // waiting does not fix a query Prometheus refuses
            }
            if (!failing.isEmpty()) {
                Thread.sleep(1000);
            }
        } while (!failing.isEmpty() && Instant.now().isBefore(deadline));
        if (!failing.isEmpty()) {
            StringBuilder message = new StringBuilder(failing.size() + " of " + checks.size() + " queries failed:\n");
            failing.forEach((check, reason) -> message.append("  ")
                    .append(check.what())
                    .append(": ")
                    .append(reason)
                    .append("\n    ")
                    .append(check.expr())
                    .append('\n'));
            fail(message + logs());
        }
    }

    /** The values Grafana would offer for each variable; the test selects them all ("All"). */
    private Map<String, List<String>> awaitVariableValues() throws Exception {
        Pattern labelValues = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)");
        Map<String, List<String>> values = new HashMap<>();
        for (GrafanaDashboard.Variable variable : dashboard.variables()) {
            Matcher m = labelValues.matcher(variable.query());
            assertTrue(m.matches(), "variable $" + variable.name() + ": unsupported query " + variable.query());
            waitFor(
                    "values of $" + variable.name(),
                    DATA_DEADLINE,
                    () -> !labelValues(m.group(2), m.group(1)).isEmpty());
            values.put(variable.name(), labelValues(m.group(2), m.group(1)));
        }
        return values;
    }

    /** What Grafana's {@code label_values(metric, label)} lists. */
    private List<String> labelValues(String label, String match) throws IOException, InterruptedException {
        JsonNode answer = prometheus.get("/api/v1/label/" + URLEncoder.encode(label, StandardCharsets.UTF_8)
                + "/values?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8));
        List<String> values = new ArrayList<>();
        answer.path("data").forEach(v -> values.add(v.asText()));
        return values;
    }

    private List<JsonNode> loadedRules() throws IOException, InterruptedException {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : prometheus.get("/api/v1/rules").path("data").path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        return rules;
    }

    private JsonNode resultOf(String expr) throws IOException, InterruptedException {
        return prometheus.query(expr).path("data").path("result");
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private void waitFor(String what, Duration timeout, Condition condition) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.holds()) {
            for (ManagedProcess process : processes) {
                assertTrue(process.isAlive(), process + " died while waiting for " + what + "\n" + logs());
            }
            if (Instant.now().isAfter(deadline)) {
                fail("gave up waiting for " + what + " after " + timeout.toSeconds() + " s\n" + logs());
            }
            Thread.sleep(500);
        }
    }

    private ManagedProcess start(String name, List<String> command, Map<String, String> env, Path logs)
            throws IOException {
        ManagedProcess process = ManagedProcess.start(name, command, env, logs);
        processes.add(process);
        return process;
    }

    private String logs() {
        StringBuilder all = new StringBuilder();
        processes.forEach(p -> all.append(p.logTail(15)).append('\n'));
        return all.toString();
    }

    /** The project's own installer writes the kernelspec, into this test's JUPYTER_DATA_DIR. */
    private void installKernelspec(Path repo, Map<String, String> jupyterEnv, Path logs) throws Exception {
        Path kernelJar = repo.resolve("kernel/target/research-kernel.jar");
        assertTrue(Files.isRegularFile(kernelJar), "build the kernel first (mvn package): " + kernelJar);
        try (ManagedProcess install = ManagedProcess.start(
                "kernelspec-install",
                List.of(repo.resolve("bin/research-kernel").toString(), "install", "--user", "--name", KERNEL_NAME),
                jupyterEnv,
                logs)) {
            install.awaitLine(Pattern.compile("Installed kernelspec .*"), Duration.ofSeconds(60));
        }
    }

    private static boolean answers200(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }
}
