package dev.researchmon.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.report.KernelReport;
import dev.researchmon.report.MetricFamily;
import dev.researchmon.report.MetricPoint;
import dev.researchmon.report.MetricType;
import dev.researchmon.report.ReportAck;
import dev.researchmon.report.ReportClient;
import dev.researchmon.report.ReportException;
import dev.researchmon.report.TokenFile;
import dev.researchmon.sidecar.notebook.ReportLimits;
import dev.researchmon.sidecar.testing.Http;
import dev.researchmon.sidecar.testing.Reports;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report endpoint of a running sidecar: the contract's answers, bounds and bad input. */
class ReportEndpointIT {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    static Path tmp;

    private static Sidecar sidecar;
    private static Path token;
    private static ReportClient client;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        token = tmp.resolve("state/sidecar.token");
        ReportLimits limits = ReportLimits.DEFAULTS
                .withMaxBodyBytes(64 * 1024)
                .withMaxSeriesPerKernel(20)
                .withMaxSeriesTotal(30)
                .withMaxLabelValueLength(32)
                // gone kernels leave at once here, so that each test starts with the bounds free
                .withKeepGone(Duration.ZERO);
        // No NVML here on purpose: the rest of the sidecar must work without GPUs.
        sidecar = Sidecar.start(SidecarOptions.defaults(token)
                .withPort(0)
                .withJvm(false)
                .withNvmlLibrary(tmp.resolve("absent/libnvidia-ml.so.1"))
                .withLimits(limits));
        base = "http://127.0.0.1:" + sidecar.port();
        client = new ReportClient(URI.create(base), token);
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
    }

    private static HttpResponse<String> post(String kernelId, String contentType, String auth, byte[] body)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + "/api/v1/kernels/" + kernelId + "/report"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        if (auth != null) {
            r.header("Authorization", auth);
        }
        return Http.CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String bearer() throws Exception {
        return "Bearer " + TokenFile.read(token);
    }

    private static KernelReport gaugeReport(String kernelId, int series, String labelValue) {
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < series; i++) {
            points.add(MetricPoint.ofValue(Map.of("i", labelValue + i), i));
        }
        return new KernelReport(
                kernelId,
                "n.ipynb",
                PID,
                1,
                List.of(new MetricFamily("user_value", "h", null, MetricType.GAUGE, points)));
    }

    @Test
    void tokenFile_isCreatedOwnerOnly() throws Exception {
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
    }

    @Test
    void validReport_isAcceptedAndExposedWithKernelLabels() throws Exception {
        ReportAck ack = client.report(Reports.report("k-valid", "valid.ipynb", PID, 1, 3));
        assertEquals(new ReportAck(6, 0), ack);
        String metrics = Http.metrics(sidecar.port());
        assertTrue(
                metrics.contains(
                        "notebook_cells_executed_total{kernel_id=\"k-valid\",notebook=\"valid.ipynb\",status=\"ok\"} 2.0\n"),
                metrics);
        client.forget("k-valid");
    }

    @Test
    void monitoringOff_removesKernelSeries() throws Exception {
        client.report(Reports.report("k-off", "off.ipynb", PID, 1, 2));
        assertTrue(Http.metrics(sidecar.port()).contains("kernel_id=\"k-off\""));
        client.forget("k-off");
        assertFalse(Http.metrics(sidecar.port()).contains("kernel_id=\"k-off\""));
    }

    @Test
    void missingToken_is401() throws Exception {
        HttpResponse<String> r = post("k1", "application/json", null, "{}".getBytes());
        assertEquals(401, r.statusCode());
        assertEquals("{\"error\":\"missing Authorization: Bearer <token>\"}", r.body());
        // its body unread, the connection closes: the client is told so and does not reuse it
        assertEquals("close", r.headers().firstValue("Connection").orElse(""));
    }

    @Test
    void wrongToken_is401AndTheClientSaysUnauthorized() throws Exception {
        HttpResponse<String> r = post("k1", "application/json", "Bearer nope", "{}".getBytes());
        assertEquals(401, r.statusCode());
        Path otherToken = Files.writeString(tmp.resolve("wrong.token"), "not-the-token\n");
        ReportClient wrong = new ReportClient(URI.create(base), otherToken);
        ReportException e =
                assertThrows(ReportException.class, () -> wrong.report(Reports.report("k-wrong", "", PID, 1, 1)));
        assertEquals(ReportException.Kind.UNAUTHORIZED, e.kind());
        assertEquals(401, e.status());
    }

    @Test
    void malformedJson_is400WithReason() throws Exception {
        HttpResponse<String> r = post("k1", "application/json", bearer(), "{\"kernel_id\": ".getBytes());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().startsWith("{\"error\":\"invalid JSON"), r.body());
    }

    @Test
    void missingField_is400NamingIt() throws Exception {
        HttpResponse<String> r = post(
                "k1",
                "application/json",
                bearer(),
                "{\"kernel_id\":\"k1\",\"sequence\":1,\"metrics\":[{\"name\":\"x\",\"type\":\"gauge\",\"points\":[{}]}]}"
                        .getBytes());
        assertEquals(400, r.statusCode());
        assertEquals("{\"error\":\"metrics[0].points[0].value: missing\"}", r.body());
    }

    @Test
    void missingSequence_is400WithASentenceNotJacksonsInternals() throws Exception {
        HttpResponse<String> r =
                post("k1", "application/json", bearer(), "{\"kernel_id\":\"k1\",\"metrics\":[]}".getBytes());
        assertEquals(400, r.statusCode());
        assertEquals(
                "{\"error\":\"field sequence: expected a whole number, got nothing (the field is missing "
                        + "or null)\"}",
                r.body());
    }

    @Test
    void wrongType_is400SayingWhatWasExpectedAndWhatCame() throws Exception {
        HttpResponse<String> r = post(
                "k1",
                "application/json",
                bearer(),
                "{\"kernel_id\":\"k1\",\"sequence\":1,\"pid\":\"me\",\"metrics\":[]}".getBytes());
        assertEquals(400, r.statusCode());
        assertEquals("{\"error\":\"field pid: expected a whole number, got \\\"me\\\"\"}", r.body());
    }

    @Test
    void kernelIdDifferentFromPath_is400() throws Exception {
        HttpResponse<String> r = post(
                "k1", "application/json", bearer(), "{\"kernel_id\":\"k2\",\"sequence\":1,\"metrics\":[]}".getBytes());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("differs"), r.body());
    }

    @Test
    void wrongContentType_is415() throws Exception {
        HttpResponse<String> r = post("k1", "text/plain", bearer(), "{}".getBytes());
        assertEquals(415, r.statusCode());
    }

    @Test
    void oversizedBody_is413AndTheClientSaysRejected() throws Exception {
        byte[] big = new byte[65 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> r = post("k1", "application/json", bearer(), big);
        assertEquals(413, r.statusCode());
        ReportException e = assertThrows(
                ReportException.class,
                () -> client.report(new KernelReport(
                        "k-big",
                        "n",
                        PID,
                        1,
                        List.of(new MetricFamily("x", "h".repeat(70_000), null, MetricType.GAUGE, List.of())))));
        assertEquals(ReportException.Kind.REJECTED, e.kind());
        assertEquals(413, e.status());
        assertTrue(e.getMessage().contains("exceeds 65536 bytes"), e.getMessage());
    }

    @Test
    void wrongMethod_is405() throws Exception {
        HttpResponse<String> r = Http.CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/kernels/k1/report"))
                        .header("Authorization", bearer())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
    }

    @Test
    void badKernelId_is404() throws Exception {
        HttpResponse<String> r = post("k%20with%20spaces", "application/json", bearer(), "{}".getBytes());
        assertEquals(404, r.statusCode());
    }

    @Test
    void seriesOverThePerKernelBound_areDroppedAndCounted() throws Exception {
        ReportAck ack = client.report(gaugeReport("k-many", 25, "v"));
        assertEquals(
                new ReportAck(20, 5, List.of(new ReportAck.Drop("series_per_kernel", 5, List.of("user_value")))), ack);
        String metrics = Http.metrics(sidecar.port());
        assertEquals(
                20,
                metrics.lines()
                        .filter(l -> l.startsWith("user_value{") && l.contains("k-many"))
                        .count());
        assertTrue(metrics.contains("sidecar_report_series_dropped_total{reason=\"series_per_kernel\"} 5.0"), metrics);
        client.forget("k-many");
    }

    @Test
    void seriesOverTheTotalBound_areDroppedAndCounted() throws Exception {
        assertEquals(new ReportAck(20, 0), client.report(gaugeReport("k-total-a", 20, "a")));
        ReportAck ack = client.report(gaugeReport("k-total-b", 20, "b"));
        assertEquals(
                new ReportAck(10, 10, List.of(new ReportAck.Drop("series_total", 10, List.of("user_value")))), ack);
        assertTrue(Http.metrics(sidecar.port())
                .contains("sidecar_report_series_dropped_total{reason=\"series_total\"} 10.0"));
        client.forget("k-total-a");
        client.forget("k-total-b");
    }

    @Test
    void overlongLabelValue_dropsThatSeriesOnly() throws Exception {
        KernelReport report = new KernelReport(
                "k-long",
                "n",
                PID,
                1,
                List.of(new MetricFamily(
                        "user_value",
                        "h",
                        null,
                        MetricType.GAUGE,
                        List.of(
                                MetricPoint.ofValue(Map.of("path", "p".repeat(33)), 1),
                                MetricPoint.ofValue(Map.of("path", "short"), 2)))));
        assertEquals(
                new ReportAck(1, 1, List.of(new ReportAck.Drop("label_too_long", 1, List.of("user_value")))),
                client.report(report));
        client.forget("k-long");
    }

    @Test
    void reservedOrInvalidFamilies_areDroppedTheRestKept() throws Exception {
        KernelReport report = new KernelReport(
                "k-reserved",
                "n",
                PID,
                1,
                List.of(
                        new MetricFamily(
                                "gpu_utilization_ratio",
                                "fake",
                                null,
                                MetricType.GAUGE,
                                List.of(MetricPoint.ofValue(Map.of(), 1))),
                        new MetricFamily(
                                "bad counter",
                                "h",
                                null,
                                MetricType.COUNTER,
                                List.of(MetricPoint.ofValue(Map.of(), -1))),
                        new MetricFamily(
                                "ok_value", "h", null, MetricType.GAUGE, List.of(MetricPoint.ofValue(Map.of(), 7)))));
        // the kernel is told why, with the names, so that %monitoring status can show it
        assertEquals(
                new ReportAck(
                        1,
                        2,
                        List.of(
                                new ReportAck.Drop("invalid", 1, List.of("bad counter")),
                                new ReportAck.Drop("reserved_name", 1, List.of("gpu_utilization_ratio")))),
                client.report(report));
        String metrics = Http.metrics(sidecar.port());
        assertTrue(metrics.contains("ok_value{kernel_id=\"k-reserved\",notebook=\"n\"} 7.0"), metrics);
        assertFalse(metrics.contains("fake"), metrics);
        client.forget("k-reserved");
    }

    @Test
    void notebookGpuMetricOfItsOwn_isKeptBesideTheSidecarsGpuNames() throws Exception {
        // the original design's example: a notebook's own gauge named gpu_memory_used_mb
        KernelReport report = new KernelReport(
                "k-own-gpu",
                "n",
                PID,
                1,
                List.of(
                        new MetricFamily(
                                "gpu_memory_used_mb",
                                "GPU memory used in MB",
                                null,
                                MetricType.GAUGE,
                                List.of(MetricPoint.ofValue(Map.of(), 512))),
                        new MetricFamily(
                                "gpu_memory_used_bytes",
                                "shadow",
                                null,
                                MetricType.GAUGE,
                                List.of(MetricPoint.ofValue(Map.of(), 1)))));
        assertEquals(
                new ReportAck(1, 1, List.of(new ReportAck.Drop("reserved_name", 1, List.of("gpu_memory_used_bytes")))),
                client.report(report));
        String metrics = Http.metrics(sidecar.port());
        assertTrue(metrics.contains("gpu_memory_used_mb{kernel_id=\"k-own-gpu\",notebook=\"n\"} 512.0"), metrics);
        assertFalse(metrics.contains("shadow"), metrics);
        client.forget("k-own-gpu");
    }

    @Test
    void olderReportOfTheSameProcess_isStale() throws Exception {
        client.report(Reports.report("k-seq", "n", PID, 5, 3));
        ReportAck ack = client.report(Reports.report("k-seq", "n", PID, 4, 9));
        assertEquals(0, ack.accepted());
        assertTrue(Http.metrics(sidecar.port())
                .contains("notebook_cells_executed_total{kernel_id=\"k-seq\",notebook=\"n\",status=\"ok\"} 2.0"));
        client.forget("k-seq");
    }

    @Test
    void twoKernelsWithTheSameFamily_areMergedIntoOneFamily() throws Exception {
        client.report(Reports.report("k-a", "a.ipynb", PID, 1, 2));
        client.report(Reports.report("k-b", "b.ipynb", PID, 1, 5));
        String metrics = Http.metrics(sidecar.port());
        assertEquals(
                1,
                metrics.lines()
                        .filter(l -> l.equals("# TYPE notebook_cells_executed_total counter"))
                        .count());
        assertTrue(metrics.contains(
                "notebook_cells_executed_total{kernel_id=\"k-a\",notebook=\"a.ipynb\",status=\"ok\"} 1.0"));
        assertTrue(metrics.contains(
                "notebook_cells_executed_total{kernel_id=\"k-b\",notebook=\"b.ipynb\",status=\"ok\"} 4.0"));
        MetricsExpositionIT.assertPromtoolAccepts(metrics);
        client.forget("k-a");
        client.forget("k-b");
    }

    @Test
    void notebookCollectorOff_reportEndpointIs404() throws Exception {
        try (Sidecar gpuOnly = Sidecar.start(new SidecarOptions(
                0,
                "127.0.0.1",
                java.util.Optional.empty(),
                tmp.resolve("off/sidecar.token"),
                false,
                false,
                false,
                Duration.ofSeconds(2),
                ReportLimits.DEFAULTS))) {
            ReportClient off = new ReportClient(URI.create("http://127.0.0.1:" + gpuOnly.port()), token);
            ReportException e =
                    assertThrows(ReportException.class, () -> off.report(Reports.report("k-off", "n", PID, 1, 1)));
            assertEquals(404, e.status());
            assertTrue(e.getMessage().contains("notebook collector is off"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("off/sidecar.token")), "no token without the endpoint");
        }
    }

    @Test
    void withoutNvml_gpuCollectorSaysSoAndTheRestRuns() throws Exception {
        String metrics = Http.metrics(sidecar.port());
        assertTrue(metrics.contains("gpu_nvml_available 0.0"), metrics);
        assertTrue(metrics.contains("sidecar_collector_success{collector=\"gpu\"} 0.0"), metrics);
        assertTrue(metrics.contains("sidecar_collector_success{collector=\"notebook\"} 1.0"), metrics);
    }
}
