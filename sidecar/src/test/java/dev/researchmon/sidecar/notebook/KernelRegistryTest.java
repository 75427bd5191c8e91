package dev.researchmon.sidecar.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.report.KernelReport;
import dev.researchmon.report.MetricFamily;
import dev.researchmon.report.MetricPoint;
import dev.researchmon.report.MetricType;
import dev.researchmon.report.ReportAck;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelRegistryTest {
    private final Map<DropReason, Integer> drops = new EnumMap<>(DropReason.class);

    private KernelRegistry registry(ReportLimits limits) {
        return new KernelRegistry(limits, (reason, n) -> drops.merge(reason, n, Integer::sum));
    }

    private static KernelReport report(String id, Long pid, long seq, int series) {
        List<MetricPoint> points = new java.util.ArrayList<>();
        for (int i = 0; i < series; i++) {
            points.add(MetricPoint.ofValue(Map.of("i", Integer.toString(i)), i));
        }
        return new KernelReport(
                id, "nb", pid, seq, List.of(new MetricFamily("v", "h", null, MetricType.GAUGE, points)));
    }

    @Test
    void silentKernel_isForgottenAfterTheTtl() throws Exception {
        KernelRegistry kernels = registry(ReportLimits.DEFAULTS.withKernelTtl(Duration.ofMillis(200)));
        kernels.accept(report("k", null, 1, 3));
        assertEquals(0, kernels.evictGone());
        Thread.sleep(300);
        assertEquals(1, kernels.evictGone());
        assertTrue(kernels.entries().isEmpty());
        assertEquals(0, kernels.totalSeries());
    }

    @Test
    void deadKernel_keepsItsLastValuesForKeepGone_whateverIsScraped() throws Exception {
        KernelRegistry kernels = new KernelRegistry(
                ReportLimits.DEFAULTS.withKeepGone(Duration.ofMillis(300)),
                (reason, n) -> drops.merge(reason, n, Integer::sum),
                java.util.Set.of(),
                pid -> false);
        NotebookCollector collector = new NotebookCollector(kernels);
        kernels.accept(report("k", 4242L, 1, 2)); // reports, then its process is gone

        assertEquals(0, kernels.evictGone(), "found gone, not yet evicted");
        for (int i = 0; i < 5; i++) {
            assertEquals(2, seriesOf(collector, "v"), "scrapes only read: every reader sees the last values");
        }
        Thread.sleep(400);
        assertEquals(1, kernels.evictGone());
        assertEquals(0, seriesOf(collector, "v"));
        assertEquals(0, kernels.totalSeries());
        assertEquals(0, kernels.totalBytes());
    }

    @Test
    void forgottenKernel_staysForKeepGone_andANewReportBringsItBack() throws Exception {
        KernelRegistry kernels = registry(ReportLimits.DEFAULTS.withKeepGone(Duration.ofMillis(300)));
        kernels.accept(report("k", null, 1, 2));
        assertTrue(kernels.forget("k"));
        assertEquals(0, kernels.evictGone());
        assertTrue(kernels.entries().iterator().next().gone());
        kernels.accept(report("k", null, 2, 3)); // %monitoring on again
        Thread.sleep(400);
        assertEquals(0, kernels.evictGone(), "alive again: only the TTL forgets it");
        assertEquals(3, kernels.totalSeries());
        assertTrue(kernels.forget("k"));
        Thread.sleep(400);
        assertEquals(1, kernels.evictGone());
        assertTrue(kernels.entries().isEmpty());
    }

    @Test
    void forgottenKernel_leavesAtOnceWhenKeepGoneIsZero() {
        KernelRegistry kernels = registry(ReportLimits.DEFAULTS.withKeepGone(Duration.ZERO));
        kernels.accept(report("k", null, 1, 2));
        assertTrue(kernels.forget("k"));
        assertTrue(kernels.entries().isEmpty());
        assertEquals(0, kernels.totalSeries());
    }

    @Test
    void seriesPastTheExpositionBound_areDroppedAndCounted() {
        KernelRegistry kernels = registry(ReportLimits.DEFAULTS.withMaxExpositionBytes(1000));
        AcceptResult first = kernels.accept(report("k", null, 1, 100));
        assertTrue(first.accepted() > 0 && first.dropped() > 0, first.toString());
        assertEquals(first.dropped(), drops.get(DropReason.EXPOSITION_BYTES));
        assertTrue(kernels.totalBytes() <= 1000, "held " + kernels.totalBytes());
        // another kernel gets what is left, and nothing once it is spent
        AcceptResult other = kernels.accept(report("other", null, 1, 100));
        assertTrue(kernels.totalBytes() <= 1000);
        assertEquals(100, other.dropped() + other.accepted());
        // replacing a report releases its bytes first
        assertEquals(
                first.accepted(),
                kernels.accept(report("k", null, 2, first.accepted())).accepted());
    }

    @Test
    void heldBytes_areAnUpperBoundOfTheTextExposition() throws Exception {
        KernelRegistry kernels = registry(ReportLimits.DEFAULTS);
        kernels.accept(dev.researchmon.sidecar.testing.Reports.report("kernel-\"quoted\"", "dir/ü/nb.ipynb", 1L, 1, 7));
        kernels.accept(report("k2", null, 1, 50));
        var out = new java.io.ByteArrayOutputStream();
        var snapshots = new io.prometheus.metrics.model.snapshots.MetricSnapshots(new NotebookCollector(kernels)
                .collect().stream()
                        .filter(m -> !m.getMetadata().getName().startsWith("sidecar_"))
                        .toList());
        new io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter(false).write(out, snapshots);
        long written = out.size();
        assertTrue(written <= kernels.totalBytes(), written + " bytes written, " + kernels.totalBytes() + " counted");
        assertTrue(
                written > kernels.totalBytes() / 3, "and not wildly above: " + written + " / " + kernels.totalBytes());
    }

    private static int seriesOf(NotebookCollector collector, String name) {
        return collector.collect().stream()
                .filter(m -> m.getMetadata().getName().equals(name))
                .mapToInt(m -> m.getDataPoints().size())
                .sum();
    }

    @Test
    void reportFromALiveProcess_staysUntilTheTtl() {
        KernelRegistry kernels = registry(ReportLimits.DEFAULTS);
        kernels.accept(report("k", ProcessHandle.current().pid(), 1, 1));
        assertEquals(0, kernels.evictGone());
        assertEquals(Map.of(ProcessHandle.current().pid(), new KernelRef("k", "nb")), kernels.kernelsByPid());
    }

    @Test
    void replacingAReport_releasesItsSeriesFromTheTotal() {
        KernelRegistry kernels = registry(ReportLimits.DEFAULTS.withMaxSeriesTotal(10));
        assertEquals(new AcceptResult(8, 0), kernels.accept(report("k", null, 1, 8)));
        assertEquals(new AcceptResult(9, 0), kernels.accept(report("k", null, 2, 9)));
        assertEquals(9, kernels.totalSeries());
        assertEquals(
                new AcceptResult(1, 4, List.of(new ReportAck.Drop("series_total", 4, List.of("v")))),
                kernels.accept(report("other", null, 1, 5)));
        assertEquals(4, drops.get(DropReason.SERIES_TOTAL));
    }

    @Test
    void tooManyKernels_dropsTheNewKernelsReport() {
        KernelRegistry kernels = registry(ReportLimits.DEFAULTS
                .withMaxSeriesPerKernel(100)
                .withMaxSeriesTotal(1000)
                .withMaxLabelValueLength(64)
                .withMaxKernels(2));
        kernels.accept(report("a", null, 1, 1));
        kernels.accept(report("b", null, 1, 1));
        assertEquals(
                new AcceptResult(0, 2, List.of(new ReportAck.Drop("too_many_kernels", 2, List.of()))),
                kernels.accept(report("c", null, 1, 2)));
        assertEquals(2, drops.get(DropReason.TOO_MANY_KERNELS));
        assertEquals(new AcceptResult(3, 0), kernels.accept(report("a", null, 2, 3)));
    }

    @Test
    void longNotebookPath_keepsItsEnd() {
        KernelRegistry kernels = registry(ReportLimits.DEFAULTS.withMaxLabelValueLength(10));
        kernels.accept(new KernelReport("k", "/home/me/projects/train.ipynb", null, 1, List.of()));
        assertEquals(
                "ain.ipynb",
                kernels.entries().iterator().next().ref().notebook().substring(1));
    }

    @Test
    void badLimits_areRejected() {
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> ReportLimits.DEFAULTS.withMaxSeriesPerKernel(0));
    }
}
