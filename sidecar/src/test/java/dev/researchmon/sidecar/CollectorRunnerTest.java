package dev.researchmon.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CollectorRunnerTest {

    private static MetricSnapshots gauge(String name, double value) {
        return MetricSnapshots.of(new GaugeSnapshot(
                new MetricMetadata(name, "h"), List.of(new GaugeDataPointSnapshot(value, Labels.EMPTY, null))));
    }

    /** The value of {@code family} for each {@code collector} label. */
    private static Map<String, Double> byCollector(MetricSnapshots scrape, String family) {
        Map<String, Double> values = new TreeMap<>();
        scrape.stream()
                .filter(m -> m.getMetadata().getName().equals(family))
                .forEach(m -> m.getDataPoints()
                        .forEach(p ->
                                values.put(p.getLabels().get("collector"), ((GaugeDataPointSnapshot) p).getValue())));
        return values;
    }

    @Test
    void failingCollector_isReportedInTheSameScrape_andTheOthersStillServe() {
        AtomicBoolean fail = new AtomicBoolean(true);
        CollectorRunner runner = new CollectorRunner()
                .add(SourceCollector.GPU, () -> gauge("gpu_thing", 1))
                .add(SourceCollector.NOTEBOOK, () -> {
                    if (fail.get()) {
                        throw new IllegalStateException("broken source");
                    }
                    return gauge("notebook_thing", 2);
                });

        MetricSnapshots first = runner.collect();
        assertEquals(
                Map.of("gpu", 1.0, "notebook", 0.0),
                byCollector(first, "sidecar_collector_success"),
                "the first scrape already shows the failure it had");
        assertTrue(first.stream().anyMatch(m -> m.getMetadata().getName().equals("gpu_thing")));
        assertTrue(first.stream().noneMatch(m -> m.getMetadata().getName().equals("notebook_thing")));

        fail.set(false);
        MetricSnapshots second = runner.collect();
        assertEquals(
                Map.of("gpu", 1.0, "notebook", 1.0),
                byCollector(second, "sidecar_collector_success"),
                "and the recovery in the very scrape it recovered, not one late");
        assertEquals(
                2, byCollector(second, "sidecar_collector_duration_seconds").size());
    }

    @Test
    void staleSource_isAFailureAlthoughItsCallSucceeds() {
        CollectorRunner runner =
                new CollectorRunner().add(SourceCollector.GPU, () -> gauge("gpu_thing", 1), () -> false);
        MetricSnapshots scrape = runner.collect();
        assertEquals(Map.of("gpu", 0.0), byCollector(scrape, "sidecar_collector_success"));
        assertTrue(
                scrape.stream().anyMatch(m -> m.getMetadata().getName().equals("gpu_thing")),
                "what it has is still served");
    }

    /** A collector of another thread's snapshot, whose last read took {@code readSeconds}. */
    private static final class SnapshotCollector
            implements io.prometheus.metrics.model.registry.MultiCollector, MonitoredSource {
        private final double readSeconds;

        SnapshotCollector(double readSeconds) {
            this.readSeconds = readSeconds;
        }

        @Override
        public MetricSnapshots collect() {
            return gauge("gpu_thing", 1);
        }

        @Override
        public String collectorName() {
            return "gpu";
        }

        @Override
        public CollectorOutcome lastOutcome() {
            return new CollectorOutcome(true, readSeconds);
        }
    }

    @Test
    void monitoredSource_durationCoversItsSnapshotsRead_notOnlyTheConversion() {
        CollectorRunner runner = new CollectorRunner().addMonitored(SourceCollector.GPU, new SnapshotCollector(0.25));
        MetricSnapshots scrape = runner.collect();
        double seconds =
                byCollector(scrape, "sidecar_collector_duration_seconds").get("gpu");
        assertTrue(seconds >= 0.25 && seconds < 1, "the read's 0.25 s plus the conversion: " + seconds);
        assertEquals(Map.of("gpu", 1.0), byCollector(scrape, "sidecar_collector_success"));
    }
}
