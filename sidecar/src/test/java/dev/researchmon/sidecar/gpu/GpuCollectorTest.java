package dev.researchmon.sidecar.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.sidecar.notebook.KernelRef;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the collector makes of a reading: a fixed {@link GpuReader} stands in for NVML here. */
class GpuCollectorTest {
    private static final KernelRef TRAIN = new KernelRef("k-train", "train.ipynb");
    private static final KernelRef EVAL = new KernelRef("k-eval", "eval.ipynb");

    private static GpuReading.Device gpu(
            int index,
            Map<GpuField, Double> values,
            List<GpuReading.GpuProcess> processes,
            List<GpuReading.ProcessUtilization> utilization,
            List<GpuReading.MigInstance> instances) {
        return new GpuReading.Device(
                index, "GPU-" + index, "Test GPU", values, null, processes, utilization, instances);
    }

    private static MetricSnapshots collect(Map<Long, KernelRef> kernels, GpuReading.Device... devices)
            throws Exception {
        GpuReading reading = new GpuReading("1", "2", List.of(devices));
        try (GpuRefresher refresher = new GpuRefresher(
                () -> new GpuReader() {
                    @Override
                    public GpuReading read() {
                        return reading;
                    }

                    @Override
                    public void close() {}
                },
                Duration.ofHours(1))) {
            refresher.start();
            assertTrue(refresher.awaitFirstRefresh(Duration.ofSeconds(10)));
            return new GpuCollector(refresher, () -> kernels).collect();
        }
    }

    private static MetricSnapshot family(MetricSnapshots snapshots, String name) {
        return snapshots.stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + names(snapshots)));
    }

    private static List<String> names(MetricSnapshots snapshots) {
        return snapshots.stream().map(s -> s.getMetadata().getPrometheusName()).collect(Collectors.toList());
    }

    /** Value by the labels that vary, e.g. "notebook" -> value. */
    private static Map<String, Double> byLabel(MetricSnapshot family, String label) {
        Map<String, Double> out = new HashMap<>();
        for (DataPointSnapshot p : family.getDataPoints()) {
            Labels labels = p.getLabels();
            out.put(labels.get("gpu") + "/" + labels.get(label), ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue());
        }
        return out;
    }

    @Test
    void gpmFields_areExposedOnlyForGpusThatHaveThem() throws Exception {
        MetricSnapshots s = collect(
                Map.of(),
                gpu(
                        0,
                        Map.of(GpuField.SM_ACTIVE, 0.4, GpuField.TENSOR_ACTIVE, 0.2, GpuField.UTILIZATION, 1.0),
                        List.of(),
                        null,
                        List.of()),
                gpu(1, Map.of(GpuField.UTILIZATION, 0.5), List.of(), null, List.of()));
        assertEquals(1, family(s, "gpu_sm_active_ratio").getDataPoints().size());
        assertEquals(
                Unit.RATIO, family(s, "gpu_tensor_active_ratio").getMetadata().getUnit());
        assertEquals(2, family(s, "gpu_utilization_ratio").getDataPoints().size());
        assertFalse(names(s).contains("gpu_dram_active_ratio"), "no GPU measured it: no empty family");
    }

    @Test
    void notebookUtilization_sumsProcessesPerKernelAndTheRestAsOther() throws Exception {
        MetricSnapshots s = collect(
                Map.of(10L, TRAIN, 20L, EVAL),
                gpu(
                        0,
                        Map.of(),
                        List.of(
                                new GpuReading.GpuProcess(10, 100),
                                new GpuReading.GpuProcess(11, 50),
                                new GpuReading.GpuProcess(20, 70)),
                        List.of(
                                new GpuReading.ProcessUtilization(10, 0.5, 0.1),
                                new GpuReading.ProcessUtilization(99999999, 0.25, 0.1),
                                new GpuReading.ProcessUtilization(99999998, 0.125, 0.1)),
                        List.of()));
        Map<String, Double> util = byLabel(family(s, "gpu_notebook_utilization_ratio"), "notebook");
        assertEquals(
                Map.of("0/train.ipynb", 0.5, "0/eval.ipynb", 0.0, "0/other", 0.375),
                util,
                "eval holds memory but ran nothing since the last refresh: 0, not absent");
        assertEquals(
                0.875, util.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
        Map<String, Double> memory = byLabel(family(s, "gpu_notebook_memory_used_bytes"), "notebook");
        assertEquals(Map.of("0/train.ipynb", 100.0, "0/eval.ipynb", 70.0), memory);
    }

    @Test
    void notebookUtilization_withoutKernels_isAllOther() throws Exception {
        MetricSnapshots s = collect(
                Map.of(),
                gpu(0, Map.of(), List.of(), List.of(new GpuReading.ProcessUtilization(5, 0.3, 0)), List.of()));
        assertEquals(Map.of("0/other", 0.3), byLabel(family(s, "gpu_notebook_utilization_ratio"), "notebook"));
    }

    @Test
    void notebookUtilization_whereNvmlCannotMeasureIt_isAbsent() throws Exception {
        MetricSnapshots s = collect(
                Map.of(10L, TRAIN), gpu(0, Map.of(), List.of(new GpuReading.GpuProcess(10, 100)), null, List.of()));
        assertFalse(names(s).contains("gpu_notebook_utilization_ratio"));
        assertTrue(names(s).contains("gpu_notebook_memory_used_bytes"));
    }

    @Test
    void migInstances_haveTheirOwnFamiliesAndNotebooksTheirInstance() throws Exception {
        GpuReading.MigInstance small = new GpuReading.MigInstance(
                1, "1g.10gb", Map.of(GpuField.MEMORY_USED, 5.0, GpuField.MEMORY_TOTAL, 10.0, GpuField.SM_ACTIVE, 0.25));
        GpuReading.MigInstance big = new GpuReading.MigInstance(
                2,
                "3g.40gb",
                Map.of(GpuField.MEMORY_USED, 20.0, GpuField.MEMORY_TOTAL, 40.0, GpuField.SM_ACTIVE, 0.75));
        MetricSnapshots s = collect(
                Map.of(10L, TRAIN),
                gpu(
                        0,
                        Map.of(GpuField.MEMORY_USED, 25.0),
                        List.of(new GpuReading.GpuProcess(10, 8, 2)),
                        null,
                        List.of(small, big)));
        Map<String, Double> used = byLabel(family(s, "gpu_mig_memory_used_bytes"), "profile");
        assertEquals(Map.of("0/1g.10gb", 5.0, "0/3g.40gb", 20.0), used);
        assertEquals(
                Map.of("0/1g.10gb", 0.25, "0/3g.40gb", 0.75), byLabel(family(s, "gpu_mig_sm_active_ratio"), "profile"));
        DataPointSnapshot notebook =
                family(s, "gpu_notebook_utilization_ratio").getDataPoints().get(0);
        assertEquals("2", notebook.getLabels().get("gpu_instance"));
        assertEquals("3g.40gb", notebook.getLabels().get("profile"));
        assertEquals("train.ipynb", notebook.getLabels().get("notebook"));
        assertEquals(0.75, ((GaugeSnapshot.GaugeDataPointSnapshot) notebook).getValue());
        assertEquals(
                "2",
                family(s, "gpu_notebook_memory_used_bytes")
                        .getDataPoints()
                        .get(0)
                        .getLabels()
                        .get("gpu_instance"));
    }

    @Test
    void familyNames_comeFromClientJavaAndRegisterWithoutClashes() {
        GpuCollector collector = new GpuCollector(
                new GpuRefresher(
                        () -> {
                            throw new GpuUnavailableException("unused");
                        },
                        Duration.ofHours(1)),
                Map::of);
        List<String> names = collector.getPrometheusNames();
        assertTrue(names.contains("gpu_energy_joules"), names.toString());
        assertTrue(names.contains("gpu_mig_sm_active_ratio"));
        assertTrue(names.contains("gpu_notebook_utilization_ratio"));
        assertEquals(MetricType.COUNTER, collector.getMetricType("gpu_pcie_replays"));
        assertEquals(MetricType.GAUGE, collector.getMetricType("gpu_sm_occupancy_ratio"));
        assertTrue(GpuCollector.FAMILY_NAMES.containsAll(List.of("gpu_sm_active_ratio", "gpu_nvlink_receive_bytes")));
        assertFalse(GpuCollector.FAMILY_NAMES.contains("sidecar_gpu_snapshot_age_seconds"));
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(collector);
        assertEquals(names.size(), names.stream().distinct().count());
    }
}
