package dev.researchmon.notebooks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.TestContext;
import dev.researchmon.magics.monitor.MonitoringSession;
import dev.researchmon.magics.monitor.SidecarLauncher;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.ManagedProcess;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %monitoring on} with no sidecar running starts the real one, detached; reports reach its
 * {@code /metrics} labelled with the kernel; {@code %monitoring off} removes them at once.
 */
class MonitoringLifecycleIT {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private String metrics(URI sidecar) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(sidecar + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private String awaitMetricsContaining(URI sidecar, String text, MonitoringSession session) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = metrics(sidecar);
            if (body.contains(text)) {
                return body;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the sidecar's /metrics never showed " + text + "; reporter: "
                + session.reporterStatus() + "\n" + body);
    }

    @Test
    void monitoringOn_startsADetachedSidecar_andOffRemovesTheKernelsSeries() throws Exception {
        URI sidecar = URI.create("http://127.0.0.1:" + FreePort.loopback());
        PrometheusRegistry notebook = new PrometheusRegistry();
        Counter batches =
                Counter.builder().name("ml_batches_processed").help("batches").register(notebook);
        MonitoringSession session = new MonitoringSession(
                Map.of(
                        "RESEARCH_MONITOR_SIDECAR_URL", sidecar.toString(),
                        "RESEARCH_MONITOR_HOME", dir.toString(),
                        "RESEARCH_MONITOR_SIDECAR_JAR", Repo.sidecarJar().toString()),
                notebook);
        TestContext ctx = new TestContext("lifecycle-kernel", "lifecycle.ipynb");
        Optional<ProcessHandle> started = Optional.empty();
        try {
            String said = session.on(ctx);
            started = session.startedSidecar().map(SidecarLauncher.Started::pid).flatMap(ProcessHandle::of);

            assertTrue(said.contains("one was started at " + sidecar), said);
            assertTrue(started.isPresent() && started.get().isAlive(), said);
            assertNotEquals(
                    sessionId(ProcessHandle.current().pid()),
                    sessionId(started.get().pid()),
                    "setsid: the sidecar is in a session of its own, so it outlives the kernel");
            assertTrue(Files.exists(dir.resolve("sidecar.log")), "the started sidecar logs into the state dir");

            batches.inc(3);
            ctx.runCell(
                    1,
                    dev.researchmon.magics.api.CellOutcome.OK,
                    dev.researchmon.magics.api.CellUsage.wallOnly(Duration.ofMillis(5)));
            // the report after the cell: the first one (at %monitoring on) may or may not have the 3
            String body = awaitMetricsContaining(
                    sidecar,
                    "notebook_cells_executed_total{kernel_id=\"lifecycle-kernel\","
                            + "notebook=\"lifecycle.ipynb\",status=\"ok\"} 1.0",
                    session);
            assertTrue(
                    body.contains(
                            "ml_batches_processed_total{kernel_id=\"lifecycle-kernel\",notebook=\"lifecycle.ipynb\"} 3.0"),
                    body);

            assertTrue(
                    session.off(ctx).startsWith("Monitoring off: this kernel's series leave the sidecar's /metrics"));
            // its last values stay for Prometheus's scrape interval (and margin), then go
            assertTrue(metrics(sidecar).contains("lifecycle-kernel"), "last values kept for the next scrape");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (metrics(sidecar).contains("lifecycle-kernel") && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertFalse(
                    metrics(sidecar).contains("lifecycle-kernel"),
                    "no series of the kernel once they were kept long enough");
            assertTrue(ctx.listeners.isEmpty());
        } finally {
            if (session.isOn()) {
                session.off(ctx);
            }
            started.ifPresent(ManagedProcess::stop);
        }
    }

    @Test
    void reservedName_isCountedInMonitoringStatus_withTheReasonAndTheName() throws Exception {
        try (TestStack stack = TestStack.sidecarOnly(dir.resolve("stack"), Map.of())) {
            PrometheusRegistry notebook = new PrometheusRegistry();
            // process_ is the sidecar's own prefix: this never reaches Prometheus
            io.prometheus.metrics.core.metrics.Gauge.builder()
                    .name("process_rows")
                    .help("rows")
                    .register(notebook)
                    .set(7);
            Counter.builder().name("rows_done").help("rows").register(notebook).inc();
            MonitoringSession session = new MonitoringSession(
                    Map.of(
                            "RESEARCH_MONITOR_SIDECAR_URL",
                            stack.sidecarUrl.toString(),
                            "RESEARCH_MONITOR_HOME",
                            stack.home.toString(),
                            "RESEARCH_MONITOR_GRAFANA_URL",
                            "http://127.0.0.1:" + stack.deadPort,
                            "RESEARCH_MONITOR_PROMETHEUS_URL",
                            "http://127.0.0.1:" + stack.deadPort),
                    notebook);
            TestContext ctx = new TestContext("reserved-kernel", "reserved.ipynb");
            try {
                session.on(ctx);
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (session.reporterStatus().orElseThrow().reportsSent() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                String status = new dev.researchmon.magics.command.MonitoringMagic(session)
                        .execute(
                                new dev.researchmon.magics.api.MagicCall(
                                        "monitoring", "status", java.util.List.of("status"), null),
                                ctx)
                        .data()
                        .get("text/plain");

                assertTrue(
                        status.matches(
                                "(?s).*rejected\\s+1 series\\s+1 reserved_name \\(a name the sidecar exposes itself.*: process_rows.*"),
                        status);
                assertTrue(metrics(stack.sidecarUrl).contains("rows_done_total{kernel_id=\"reserved-kernel\""));
            } finally {
                session.off(ctx);
            }
        }
    }

    /** The session id (field 6 of /proc/PID/stat). */
    private static String sessionId(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String afterName = stat.substring(stat.lastIndexOf(')') + 2);
        return afterName.split(" ")[3];
    }
}
