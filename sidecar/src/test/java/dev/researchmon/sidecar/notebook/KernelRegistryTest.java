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
    return new KernelReport(id, "nb", pid, seq,
        List.of(new MetricFamily("v", "h", null, MetricType.GAUGE, points)));
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
  void deadKernel_leavesOnlyAfterAScrapeExposedItsLastReport() {
    KernelRegistry kernels = new KernelRegistry(ReportLimits.DEFAULTS,
        (reason, n) -> drops.merge(reason, n, Integer::sum), java.util.Set.of(), pid -> false);
    NotebookCollector collector = new NotebookCollector(kernels);
    kernels.accept(report("k", 4242L, 1, 2));   // reports, then its process is gone

    assertEquals(2, seriesOf(collector, "v"), "the final report reaches one scrape");
    assertEquals(0, seriesOf(collector, "v"), "and is gone from the next");
    assertTrue(kernels.entries().isEmpty());

    kernels.accept(report("k2", 4243L, 1, 1));
    assertEquals(1, seriesOf(collector, "v"));
    kernels.accept(report("k2", 4243L, 2, 3));  // a newer report after that scrape
    assertEquals(3, seriesOf(collector, "v"), "a report not yet exposed keeps the dead kernel once more");
    assertEquals(0, seriesOf(collector, "v"));
  }

  private static int seriesOf(NotebookCollector collector, String name) {
    return collector.collect().stream()
        .filter(m -> m.getMetadata().getName().equals(name))
        .mapToInt(m -> m.getDataPoints().size()).sum();
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
    assertEquals(new AcceptResult(1, 4, List.of(new ReportAck.Drop("series_total", 4, List.of("v")))),
        kernels.accept(report("other", null, 1, 5)));
    assertEquals(4, drops.get(DropReason.SERIES_TOTAL));
  }

  @Test
  void tooManyKernels_dropsTheNewKernelsReport() {
    KernelRegistry kernels = registry(new ReportLimits(1 << 20, 100, 1000, 64, 2, Duration.ofSeconds(30)));
    kernels.accept(report("a", null, 1, 1));
    kernels.accept(report("b", null, 1, 1));
    assertEquals(new AcceptResult(0, 2, List.of(new ReportAck.Drop("too_many_kernels", 2, List.of()))),
        kernels.accept(report("c", null, 1, 2)));
    assertEquals(2, drops.get(DropReason.TOO_MANY_KERNELS));
    assertEquals(new AcceptResult(3, 0), kernels.accept(report("a", null, 2, 3)));
  }

  @Test
  void longNotebookPath_keepsItsEnd() {
    KernelRegistry kernels = registry(ReportLimits.DEFAULTS.withMaxLabelValueLength(10));
    kernels.accept(new KernelReport("k", "/home/me/projects/train.ipynb", null, 1, List.of()));
    assertEquals("ain.ipynb", kernels.entries().iterator().next().ref().notebook().substring(1));
  }

  @Test
  void badLimits_areRejected() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ReportLimits.DEFAULTS.withMaxSeriesPerKernel(0));
  }
}
