package dev.researchmon.sidecar.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.sidecar.notebook.KernelRef;
import dev.researchmon.testkit.StubNvml;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The energy attribution through the real JNA reader, on a stub GPU whose energy counter grows and
 * whose per-process samples come from a ring as the driver's do: two notebooks' processes and one
 * foreign process share GPU 0.
 */
class NotebookEnergyIT {
    private static final KernelRef TRAIN = new KernelRef("k-train", "train.ipynb");
    private static final KernelRef EVAL = new KernelRef("k-eval", "eval.ipynb");

    @TempDir
    Path tmp;

    @Test
    void notebooksOtherAndIdle_sumToTheGpusEnergyCounter_overSeveralRefreshes() throws Exception {
        Path lib = StubNvml.configured(
                tmp.resolve("nvml"),
                Map.of(
                        "STUB_NVML_PROCESSES", "0:4101:1073741824,0:4102:1073741824,0:4103:1073741824",
                        "STUB_NVML_PROCESS_UTIL", "0:4101:20:5,0:4102:15:5,0:4103:10:5",
                        "STUB_NVML_SAMPLE_MS", "20",
                        "STUB_NVML_ENERGY_GROWS", "1"));
        Map<Long, KernelRef> kernels = Map.of(4101L, TRAIN, 4102L, EVAL);
        EnergyLedger ledger = new EnergyLedger(() -> kernels);
        try (GpuRefresher refresher =
                new GpuRefresher(() -> NvmlGpuReader.open(Optional.of(lib)), Duration.ofMillis(150), ledger)) {
            refresher.start();
            GpuCollector collector = new GpuCollector(refresher, () -> kernels);
            awaitPasses(refresher, 2);
            MetricSnapshots before = collector.collect();
            long beforeNanos = refresher.current().takenAtNanos();
            awaitPasses(refresher, 6);
            MetricSnapshots after = collector.collect();
            double seconds = (refresher.current().takenAtNanos() - beforeNanos) / 1e9;

            double gpuJoules = gpuCounter(after) - gpuCounter(before);
            Map<String, Double> joules = minus(
                    byNotebook(after, "gpu_notebook_energy_joules"), byNotebook(before, "gpu_notebook_energy_joules"));
            Map<String, Double> busy = minus(
                    byNotebook(after, "gpu_notebook_busy_seconds"), byNotebook(before, "gpu_notebook_busy_seconds"));
            assertEquals(
                    Map.of("train.ipynb", 0, "eval.ipynb", 0, "other", 0, "idle", 0)
                            .keySet(),
                    joules.keySet());
            double sum =
                    joules.values().stream().mapToDouble(Double::doubleValue).sum();
            assertTrue(gpuJoules > 250 * seconds * 0.5, "the stub's counter grows at 250 W: " + gpuJoules);
            assertEquals(gpuJoules, sum, gpuJoules * 0.01, "notebooks + other + idle vs the GPU: " + joules);
            // stub: GPU utilization 50 %, notebooks ~20 % and ~15 %, foreign ~10 %: other gets the 5 % gap too
            assertEquals(0.20, joules.get("train.ipynb") / sum, 0.04, joules.toString());
            assertEquals(0.15, joules.get("eval.ipynb") / sum, 0.04, joules.toString());
            assertEquals(0.15, joules.get("other") / sum, 0.04, joules.toString());
            assertEquals(0.50, joules.get("idle") / sum, 0.01, joules.toString());
            double busySum =
                    busy.values().stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(seconds, busySum, seconds * 0.01, "GPU time shares add up to the time: " + busy);
        }
    }

    private static double gpuCounter(MetricSnapshots s) {
        return ((CounterSnapshot) family(s, "gpu_energy_joules"))
                .getDataPoints()
                .get(0)
                .getValue();
    }

    private static Map<String, Double> byNotebook(MetricSnapshots s, String name) {
        Map<String, Double> out = new HashMap<>();
        for (DataPointSnapshot p : family(s, name).getDataPoints()) {
            out.merge(
                    p.getLabels().get("notebook"),
                    ((CounterSnapshot.CounterDataPointSnapshot) p).getValue(),
                    Double::sum);
        }
        return out;
    }

    private static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> out = new HashMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0.0)));
        return out;
    }

    private static MetricSnapshot family(MetricSnapshots s, String name) {
        for (MetricSnapshot m : s) {
            if (m.getMetadata().getPrometheusName().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no " + name);
    }

    /** Waits (10 s at most) until the refresher has published {@code n} more successful passes. */
    private static void awaitPasses(GpuRefresher refresher, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long lastSeen = refresher.current().takenAtNanos();
        int seen = 0;
        while (seen < n && System.nanoTime() < deadline) {
            GpuState state = refresher.current();
            if (state.available() && state.takenAtNanos() != lastSeen) {
                lastSeen = state.takenAtNanos();
                seen++;
            }
            Thread.sleep(5);
        }
        assertEquals(n, seen, "refresher passes");
    }
}
