package dev.researchmon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportMapperTest {

    private static String text(MetricSnapshots snapshots) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, snapshots);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void registryThroughTheWireAndBack_exposesTheSameSeriesPlusKernelLabels() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter cells = Counter.builder()
                .name("notebook_cells_executed_total")
                .help("cells")
                .labelNames("status")
                .register(registry);
        cells.labelValues("ok").inc(3);
        Gauge loss = Gauge.builder().name("loss").help("loss").register(registry);
        loss.set(0.25);
        Histogram duration = Histogram.builder()
                .name("notebook_cell_duration_seconds")
                .help("d")
                .classicUpperBounds(0.1, 1)
                .register(registry);
        duration.observe(0.05);
        duration.observe(0.5);
        duration.observe(5);
        Summary batch =
                Summary.builder().name("batch_seconds").help("b").quantile(0.5).register(registry);
        batch.observe(2);
        Info version = Info.builder()
                .name("model_info")
                .help("m")
                .labelNames("version")
                .register(registry);
        version.setLabelValues("v1");

        MetricSnapshots original = registry.scrape();
        KernelReport report = new KernelReport("k1", "a.ipynb", 1L, 1, ReportMapper.fromSnapshots(original));
        KernelReport wire = ReportCodec.decode(ReportCodec.encode(report));

        List<MetricSnapshot> back = new ArrayList<>();
        List<MetricSnapshot> labelled = new ArrayList<>();
        for (MetricFamily family : wire.metrics()) {
            back.add(ReportMapper.toSnapshot(family, Labels.EMPTY));
            labelled.add(ReportMapper.toSnapshot(family, Labels.of("kernel_id", "k1", "notebook", "a.ipynb")));
        }
        assertEquals(text(original), text(new MetricSnapshots(back)));
        String withLabels = text(new MetricSnapshots(labelled));
        assertTrue(
                withLabels.contains(
                        "notebook_cells_executed_total{kernel_id=\"k1\",notebook=\"a.ipynb\",status=\"ok\"} 3.0\n"),
                withLabels);
        assertTrue(
                withLabels.contains(
                        "notebook_cell_duration_seconds_bucket{kernel_id=\"k1\",notebook=\"a.ipynb\",le=\"1.0\"} 2\n"),
                withLabels);
    }

    @Test
    void reportedLabelNamedLikeAnExtraLabel_isReplacedNotDuplicated() throws Exception {
        MetricFamily family = new MetricFamily(
                "x",
                "h",
                null,
                MetricType.GAUGE,
                List.of(MetricPoint.ofValue(Map.of("kernel_id", "forged", "a", "b"), 1)));
        MetricSnapshot s = ReportMapper.toSnapshot(family, Labels.of("kernel_id", "real"));
        assertEquals(
                Labels.of("a", "b", "kernel_id", "real"),
                s.getDataPoints().get(0).getLabels());
    }

    @Test
    void counterSentWithTotalSuffix_isExposedOnce() throws Exception {
        MetricFamily family = new MetricFamily(
                "steps_total", "h", null, MetricType.COUNTER, List.of(MetricPoint.ofValue(Map.of(), 4)));
        String text = text(MetricSnapshots.of(ReportMapper.toSnapshot(family, Labels.EMPTY)));
        assertEquals("# HELP steps_total h\n# TYPE steps_total counter\nsteps_total 4.0\n", text);
    }

    @Test
    void negativeCounter_isRejected() {
        MetricFamily family =
                new MetricFamily("x", "h", null, MetricType.COUNTER, List.of(MetricPoint.ofValue(Map.of(), -1)));
        assertThrows(IllegalArgumentException.class, () -> ReportMapper.toSnapshot(family, Labels.EMPTY));
    }

    @Test
    void duplicateSeries_isRejected() {
        MetricFamily family = new MetricFamily(
                "x",
                "h",
                null,
                MetricType.GAUGE,
                List.of(MetricPoint.ofValue(Map.of("a", "1"), 1), MetricPoint.ofValue(Map.of("a", "1"), 2)));
        assertThrows(IllegalArgumentException.class, () -> ReportMapper.toSnapshot(family, Labels.EMPTY));
    }

    @Test
    void histogramBucketsOutOfOrder_areRejected() {
        MetricFamily family = new MetricFamily(
                "x",
                "h",
                null,
                MetricType.HISTOGRAM,
                List.of(MetricPoint.ofHistogram(
                        Map.of(), List.of(new MetricPoint.Bucket(1, 5), new MetricPoint.Bucket(0.5, 6)), 6, 1)));
        assertThrows(IllegalArgumentException.class, () -> ReportMapper.toSnapshot(family, Labels.EMPTY));
    }

    @Test
    void invalidLabelName_isRejected() {
        MetricFamily family = new MetricFamily(
                "x", "h", null, MetricType.GAUGE, List.of(MetricPoint.ofValue(Map.of("__reserved", "1"), 1)));
        assertThrows(IllegalArgumentException.class, () -> ReportMapper.toSnapshot(family, Labels.EMPTY));
    }
}
