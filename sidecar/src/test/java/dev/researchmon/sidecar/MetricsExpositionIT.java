package dev.researchmon.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.report.ReportClient;
import dev.researchmon.sidecar.testing.Http;
import dev.researchmon.sidecar.testing.Reports;
import dev.researchmon.testkit.Promtool;
import dev.researchmon.testkit.StubNvml;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /metrics exposition against a golden file (2 stub GPUs, one lacking fan, power and GPM
 * readings, one reporting kernel that holds GPU memory and runs on one GPU beside a process of no
 * kernel), content negotiation, and promtool's lint on a real scrape.
 */
class MetricsExpositionIT {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/metrics.txt");

    @TempDir
    static Path tmp;

    private static Sidecar sidecar;

    @BeforeAll
    static void start() throws Exception {
        long pid = ProcessHandle.current().pid();
        Path lib = StubNvml.configured(
                tmp.resolve("nvml"),
                Map.of(
                        "STUB_NVML_GPUS",
                        "2",
                        "STUB_NVML_UNSUPPORTED",
                        "1:fan,1:power,1:gpm",
                        "STUB_NVML_PROCESSES",
                        "0:" + pid + ":1073741824,1:" + pid + ":2147483648,1:999999999:5",
                        "STUB_NVML_PROCESS_UTIL",
                        "0:" + pid + ":30:10,0:999999999:5:1"));
        Path token = tmp.resolve("state/sidecar.token");
        sidecar = Sidecar.start(
                SidecarOptions.defaults(token).withPort(0).withNvmlLibrary(lib).withJvm(false));
        ReportClient client = new ReportClient(URI.create("http://127.0.0.1:" + sidecar.port()), token);
        client.report(Reports.report("k-golden", "work/golden.ipynb", pid, 1, 4));
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
    }

    /** Values that change from run to run (timings) are replaced by placeholders. */
    static String normalized(String exposition) {
        return exposition
                .replaceAll("(?m)^(sidecar_collector_duration_seconds\\{[^}]*}) .*$", "$1 <duration>")
                .replaceAll("(?m)^(sidecar_gpu_snapshot_age_seconds) .*$", "$1 <age>")
                // GPU time handed out so far grows with the refreshes seen; its split is checked
                // exactly in NotebookEnergyIT
                .replaceAll("(?m)^(gpu_notebook_busy_seconds_total\\{[^}]*}) .*$", "$1 <accumulated>");
    }

    @Test
    void textExposition_matchesGoldenFile() throws Exception {
        // GPM activity and the energy ledger need two refreshes (a sample each): wait for them rather
        // than for a time.
        String actual = normalized(Http.awaitMetrics(
                sidecar.port(),
                m -> m.contains("gpu_sm_active_ratio{") && m.contains("gpu_notebook_busy_seconds_total{"),
                Duration.ofSeconds(30)));
        Path written = Path.of("target/golden-actual/metrics.txt");
        Files.createDirectories(written.getParent());
        Files.writeString(written, actual);
        assertEquals(
                Files.readString(GOLDEN), actual, "exposition differs from " + GOLDEN + " (actual in " + written + ")");
    }

    @Test
    void acceptHeader_choosesOpenMetricsOrProtobuf() throws Exception {
        String base = "http://127.0.0.1:" + sidecar.port() + "/metrics";
        HttpResponse<String> om = Http.get(base, "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(om.body().contains("# UNIT gpu_energy_joules joules\n"), om.body());
        assertTrue(om.body().endsWith("# EOF\n"));
        HttpResponse<String> pb = Http.get(
                base, "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
        assertTrue(pb.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"));
    }

    @Test
    void healthEndpoint_answers() throws Exception {
        HttpResponse<String> r = Http.get("http://127.0.0.1:" + sidecar.port() + "/-/healthy", null);
        assertEquals(200, r.statusCode());
    }

    /**
     * A whole scrape through promtool: JVM metrics, a kernel's report, and the energy and GPU time
     * it was given by a stub GPU whose energy counter grows, with the kernel's process on it.
     */
    @Test
    void promtool_acceptsARealScrapeIncludingJvmMetricsAndNotebookEnergy() throws Exception {
        long pid = ProcessHandle.current().pid();
        Path token = tmp.resolve("promtool/sidecar.token");
        Path lib = StubNvml.configured(
                tmp.resolve("nvml-promtool"),
                Map.of(
                        "STUB_NVML_GPUS",
                        "1",
                        "STUB_NVML_PROCESSES",
                        "0:" + pid + ":1073741824",
                        "STUB_NVML_PROCESS_UTIL",
                        "0:" + pid + ":30:10",
                        "STUB_NVML_ENERGY_GROWS",
                        "1"));
        try (Sidecar withJvm =
                Sidecar.start(SidecarOptions.defaults(token).withPort(0).withNvmlLibrary(lib))) {
            new ReportClient(URI.create("http://127.0.0.1:" + withJvm.port()), token)
                    .report(Reports.report("k-lint", "lint.ipynb", pid, 1, 3));
            String scrape = Http.awaitMetrics(
                    withJvm.port(),
                    m -> m.lines()
                            .anyMatch(l -> l.startsWith("gpu_notebook_energy_joules_total{")
                                    && l.contains("notebook=\"lint.ipynb\"")),
                    Duration.ofSeconds(30));
            assertTrue(scrape.contains("jvm_memory_used_bytes"), "JVM metrics expected in this scrape");
            assertTrue(scrape.contains("gpu_notebook_busy_seconds_total{"), scrape);
            assertPromtoolAccepts(scrape);
        }
    }

    static void assertPromtoolAccepts(String scrape) throws IOException, InterruptedException {
        Promtool.Result verdict = Promtool.checkMetrics(scrape);
        assertTrue(verdict.accepted(), "promtool check metrics:\n" + verdict.output());
    }
}
