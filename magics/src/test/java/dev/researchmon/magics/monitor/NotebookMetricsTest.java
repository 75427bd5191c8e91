package dev.researchmon.magics.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.api.CellOutcome;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NotebookMetricsTest {

    private static MetricSnapshot get(MetricSnapshots all, String name) {
        return all.stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void finishedCells_areCountedByStatusAndTimed() {
        NotebookMetrics m = new NotebookMetrics(Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC));
        m.cellFinished(1, CellOutcome.OK, Duration.ofMillis(20));
        m.cellFinished(2, CellOutcome.OK, Duration.ofMillis(30));
        m.cellFinished(3, CellOutcome.ERROR, Duration.ofSeconds(2));

        MetricSnapshots all = m.registry().scrape();
        CounterSnapshot cells = (CounterSnapshot) get(all, "notebook_cells_executed");
        var byStatus = cells.getDataPoints().stream()
                .collect(Collectors.toMap(
                        p -> p.getLabels().get("status"), CounterSnapshot.CounterDataPointSnapshot::getValue));
        assertEquals(java.util.Map.of("ok", 2.0, "error", 1.0, "interrupted", 0.0), byStatus);

        HistogramSnapshot.HistogramDataPointSnapshot d = ((HistogramSnapshot)
                        get(all, "notebook_cell_duration_seconds"))
                .getDataPoints()
                .get(0);
        assertEquals(3, d.getCount());
        assertEquals(2.05, d.getSum(), 1e-9);
        assertEquals(
                1_700_000_000.0,
                ((GaugeSnapshot) get(all, "notebook_last_activity_timestamp_seconds"))
                        .getDataPoints()
                        .get(0)
                        .getValue());
    }

    @Test
    void processMetrics_arePresentAndPlausible() {
        MetricSnapshots all = new NotebookMetrics(Clock.systemUTC()).registry().scrape();
        Set<String> names =
                all.stream().map(s -> s.getMetadata().getPrometheusName()).collect(Collectors.toSet());
        assertTrue(
                names.containsAll(Set.of(
                        "notebook_kernel_cpu_seconds",
                        "notebook_kernel_heap_bytes",
                        "notebook_kernel_resident_memory_bytes",
                        "notebook_kernel_uptime_seconds")),
                names.toString());
        double rss = ((GaugeSnapshot) get(all, "notebook_kernel_resident_memory_bytes"))
                .getDataPoints()
                .get(0)
                .getValue();
        assertTrue(rss > 10e6 && rss < 64e9, "resident memory of a JVM: " + rss);
        double cpu = ((CounterSnapshot) get(all, "notebook_kernel_cpu_seconds"))
                .getDataPoints()
                .get(0)
                .getValue();
        assertTrue(cpu > 0, "cpu " + cpu);
    }

    @Test
    void vmRssLine_isReadInKilobytes() {
        assertEquals(123456 * 1024.0, ProcessMemory.parseKiloBytes("\t  123456 kB"));
    }
}
