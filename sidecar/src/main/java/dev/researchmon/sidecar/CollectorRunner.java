package dev.researchmon.sidecar;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * Runs the enabled collectors in one pass, as node_exporter does: it times each one, catches its
 * failure (the others and the scrape go on; the failed one contributes nothing) and, in the same
 * pass, emits {@code sidecar_collector_success} and {@code sidecar_collector_duration_seconds}
 * for each, so the health a scrape shows is that scrape's own. A collector that reads a snapshot
 * another thread takes ({@link MonitoredSource}, the GPU's) counts that snapshot's read in its
 * duration, so the figure is what the source costs, not only the conversion of its snapshot.
 *
 * <pre>{@code
 * CollectorRunner runner = new CollectorRunner();
 * runner.addMonitored(SourceCollector.GPU, gpuCollector);
 * registry.register(runner);
 * }</pre>
 */
public final class CollectorRunner implements MultiCollector {
    private static final System.Logger LOG = System.getLogger(CollectorRunner.class.getName());

    /**
     * One enabled collector. {@code fresh} adds what a call cannot show: a collector that reads a
     * snapshot another thread takes (the GPU's) succeeds only while that snapshot is fresh.
     */
    private record Running(
            SourceCollector source, MultiCollector collector, BooleanSupplier fresh, DoubleSupplier sourceSeconds) {}

    private final List<Running> running = new ArrayList<>();

    /** Adds a collector whose success is its call's. Call before the runner is registered. */
    public CollectorRunner add(SourceCollector source, MultiCollector collector) {
        return add(source, collector, () -> true);
    }

    public CollectorRunner add(SourceCollector source, MultiCollector collector, BooleanSupplier fresh) {
        running.add(new Running(source, collector, fresh, () -> 0));
        return this;
    }

    /**
     * Adds a collector of another thread's snapshot: it succeeds while {@link MonitoredSource#lastOutcome()}
     * does, and its duration adds the time that snapshot's read took to the scrape's own.
     */
    public <C extends MultiCollector & MonitoredSource> CollectorRunner addMonitored(
            SourceCollector source, C collector) {
        running.add(new Running(
                source,
                collector,
                () -> collector.lastOutcome().success(),
                () -> collector.lastOutcome().durationSeconds()));
        return this;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        List<GaugeDataPointSnapshot> success = new ArrayList<>();
        List<GaugeDataPointSnapshot> duration = new ArrayList<>();
        for (Running r : running) {
            long start = System.nanoTime();
            boolean ok;
            double sourceSeconds = 0;
            try {
                MetricSnapshots collected = r.collector().collect();
                collected.forEach(out::add);
                ok = r.fresh().getAsBoolean();
                sourceSeconds = r.sourceSeconds().getAsDouble();
            } catch (RuntimeException e) {
                ok = false;
                LOG.log(System.Logger.Level.WARNING, "collector " + r.source().label() + " failed", e);
            }
            Labels labels = Labels.of("collector", r.source().label());
            success.add(new GaugeDataPointSnapshot(ok ? 1 : 0, labels, null));
            double seconds = (System.nanoTime() - start) / 1e9 + sourceSeconds;
            duration.add(new GaugeDataPointSnapshot(seconds, labels, null));
        }
        out.add(new GaugeSnapshot(
                new MetricMetadata(
                        "sidecar_collector_success", "Whether the collector succeeded in this scrape (1) or not (0)."),
                success));
        out.add(new GaugeSnapshot(
                new MetricMetadata(
                        "sidecar_collector_duration_seconds",
                        "How long the collector took in this scrape; for gpu, with its last NVML pass.",
                        Unit.SECONDS),
                duration));
        return new MetricSnapshots(out);
    }
}
