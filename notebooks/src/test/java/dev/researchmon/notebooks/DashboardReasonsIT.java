package dev.researchmon.notebooks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.TestContext;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.command.DashboardMagic;
import dev.researchmon.magics.monitor.MonitoringSession;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.LocalPrometheus;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %dashboard}'s empty panels say why, against the real sidecar and Debian's Prometheus: a
 * sidecar whose NVML does not start (its GPU collector failing), and a kernel with monitoring off.
 */
class DashboardReasonsIT {
    @TempDir
    Path dir;

    @Test
    void gpuCollectorFailing_andMonitoringOff_areTheReasonsPanelsGive() throws Exception {
        try (TestStack stack = TestStack.sidecarOnly(dir, Map.of("STUB_NVML_INIT", "9"))) {
            int port = FreePort.loopback();
            try (LocalPrometheus prometheus = LocalPrometheus.start(
                    dir.resolve("prometheus"),
                    port,
                    LocalPrometheus.scrapeConfig("1s", Map.of("research", List.of(stack.sidecarUrl.getAuthority()))),
                    "--log.level=warn")) {
                prometheus.awaitSeries("sidecar_collector_success{collector=\"gpu\"}", Duration.ofSeconds(60));
                MonitoringSession session = new MonitoringSession(
                        Map.of(
                                "RESEARCH_MONITOR_SIDECAR_URL", stack.sidecarUrl.toString(),
                                "RESEARCH_MONITOR_PROMETHEUS_URL",
                                        prometheus.url().toString(),
                                "RESEARCH_MONITOR_GRAFANA_URL", "http://127.0.0.1:" + stack.deadPort,
                                "RESEARCH_MONITOR_HOME", stack.home.toString()),
                        new PrometheusRegistry());
                Display d = new DashboardMagic(session)
                        .execute(
                                new MagicCall("dashboard", "", List.of("GPU temperature", "Kernel memory"), null),
                                new TestContext("k", "off.ipynb"));
                String text = d.data().get("text/plain");
                assertTrue(text.contains("\nGPU temperature: No data: the sidecar's GPU collector is failing"), text);
                assertTrue(
                        text.contains("\nKernel memory: No data: monitoring is off in this kernel; %monitoring on"),
                        text);
            }
        }
    }
}
