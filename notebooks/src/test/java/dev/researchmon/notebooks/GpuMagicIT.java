package dev.researchmon.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.TestContext;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.command.GpuMagic;
import dev.researchmon.magics.monitor.MonitoringSession;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %gpu} against the real sidecar reading a stub NVML: two GPUs, and GPU memory held by this
 * JVM's pid, which reports as a notebook kernel, so the sidecar can say which notebook holds it.
 */
class GpuMagicIT {
    @TempDir
    Path dir;

    @Test
    void gpu_showsEachGpuAndTheNotebookHoldingMemory() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (TestStack stack = TestStack.sidecarOnly(
                dir, Map.of("STUB_NVML_GPUS", "2", "STUB_NVML_PROCESSES", "1:" + pid + ":536870912"))) {
            MonitoringSession session = new MonitoringSession(
                    Map.of(
                            "RESEARCH_MONITOR_SIDECAR_URL", stack.sidecarUrl.toString(),
                            "RESEARCH_MONITOR_HOME", stack.home.toString()),
                    new PrometheusRegistry());
            TestContext ctx = new TestContext("gpu-kernel", "vision.ipynb");
            session.on(ctx);
            try {
                awaitSidecarShows(stack.sidecarUrl, "gpu_notebook_memory_used_bytes{");
                Display d = new GpuMagic(session).execute(new MagicCall("gpu", "", List.of(), null), ctx);
                String text = d.data().get("text/plain");
                String[] lines = text.split("\n");
                // the stub: utilization 50+i %, used 40 GiB + i MiB of 80 GiB, 60+i C, 250+i W
                assertTrue(lines[2].matches("0 +Stub GPU 0 +50 % +40960 MiB / 81920 MiB +60 C +250 W"), text);
                assertTrue(lines[3].matches("1 +Stub GPU 1 +51 % +40961 MiB / 81920 MiB +61 C +251 W"), text);
                assertTrue(text.contains("Notebooks holding GPU memory"), text);
                assertTrue(text.matches("(?s).*\n1 +vision\\.ipynb +gpu-kernel +512 MiB.*"), text);
                assertTrue(d.data().get("text/html").contains("<td style=\"text-align:left\">vision.ipynb</td>"));
            } finally {
                session.off(ctx);
            }
        }
    }

    @Test
    void gpuAndCellFooters_showThisNotebooksEnergyAndGpuTime() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (TestStack stack = TestStack.sidecarOnly(
                dir,
                Map.of(
                        "STUB_NVML_PROCESSES",
                        "0:" + pid + ":536870912",
                        "STUB_NVML_PROCESS_UTIL",
                        "0:" + pid + ":40:5",
                        "STUB_NVML_ENERGY_GROWS",
                        "1"))) {
            MonitoringSession session = new MonitoringSession(
                    Map.of(
                            "RESEARCH_MONITOR_SIDECAR_URL", stack.sidecarUrl.toString(),
                            "RESEARCH_MONITOR_HOME", stack.home.toString()),
                    new PrometheusRegistry());
            TestContext ctx = new TestContext("energy-kernel", "train.ipynb");
            session.on(ctx);
            try {
                awaitSidecarShows(
                        stack.sidecarUrl, "gpu_notebook_energy_joules_total{gpu=\"0\",kernel_id=\"energy-kernel\"");
                session.cells(true, ctx);
                // a cell of 2.5 s, long enough for the sidecar's refreshes to share energy to it
                ctx.listeners.forEach(l -> l.cellStarted(7));
                Thread.sleep(2500);
                ctx.listeners.forEach(l -> l.cellFinished(
                        7,
                        dev.researchmon.magics.api.CellOutcome.OK,
                        dev.researchmon.magics.api.CellUsage.wallOnly(Duration.ofMillis(2500))));
                ctx.listeners.forEach(l -> l.cellAnswered(7));
                String footer =
                        ctx.displayed.get(ctx.displayed.size() - 1).data().get("text/plain");
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("gpu 0: ([0-9.]+) (ms|s), ([0-9.]+) J")
                        .matcher(footer);
                assertTrue(m.find(), footer);
                // the stub: 250 W, this process ~40 % of the GPU: ~100 J per second of cell
                double joules = Double.parseDouble(m.group(3));
                assertTrue(joules > 40 && joules < 600, footer);

                String text = new GpuMagic(session)
                        .execute(new MagicCall("gpu", "", List.of(), null), ctx)
                        .data()
                        .get("text/plain");
                assertTrue(text.contains("This notebook since the sidecar first saw its kernel"), text);
                assertTrue(text.matches("(?s).*\n0 +[0-9.]+ s +[0-9.]+ J \\([0-9.]+ kWh\\).*"), text);
            } finally {
                session.off(ctx);
            }
        }
    }

    @Test
    void gpu_withoutNvml_isOneClearLine() throws Exception {
        try (TestStack stack = TestStack.sidecarOnly(dir, Map.of("STUB_NVML_INIT", "9"))) {
            MonitoringSession session = new MonitoringSession(
                    Map.of("RESEARCH_MONITOR_SIDECAR_URL", stack.sidecarUrl.toString()), new PrometheusRegistry());
            Display d =
                    new GpuMagic(session).execute(new MagicCall("gpu", "", List.of(), null), new TestContext("k", ""));
            assertEquals(Map.of("text/plain", "No GPU: the sidecar sees no NVIDIA GPU on this machine."), d.data());
        }
    }

    private static void awaitSidecarShows(URI sidecar, String text) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.send(
                            HttpRequest.newBuilder(URI.create(sidecar + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            if (body.contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the sidecar never showed " + text);
    }
}
