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

/**
 * Runs the enabled collectors in one pass, as node_exporter does: it times each one, catches its
 * failure (the others and the scrape go on; the failed one contributes nothing) and, in the same
 * pass, emits {@code sidecar_collector_success} and {@code sidecar_collector_duration_seconds}
 * for each, so the health a scrape shows is that scrape's own.
 *
 * <pre>{@code
 * CollectorRunner runner = new CollectorRunner();
 * runner.add(SourceCollector.GPU, gpuCollector, () -> gpuCollector.lastOutcome().success());
 * registry.register(runner);
 * }</pre>
 */
public final class CollectorRunner implements MultiCollector {
  private static final System.Logger LOG = System.getLogger(CollectorRunner.class.getName());

  /**
   * One enabled collector. {@code fresh} adds what a call cannot show: a collector that reads a
   * snapshot another thread takes (the GPU's) succeeds only while that snapshot is fresh.
   */
  private record Running(SourceCollector source, MultiCollector collector, BooleanSupplier fresh) {}

  private final List<Running> running = new ArrayList<>();

  /** Adds a collector whose success is its call's. Call before the runner is registered. */
  public CollectorRunner add(SourceCollector source, MultiCollector collector) {
    return add(source, collector, () -> true);
  }

  public CollectorRunner add(SourceCollector source, MultiCollector collector, BooleanSupplier fresh) {
    running.add(new Running(source, collector, fresh));
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
      try {
        MetricSnapshots collected = r.collector().collect();
        collected.forEach(out::add);
        ok = r.fresh().getAsBoolean();
      } catch (RuntimeException e) {
        ok = false;
        LOG.log(System.Logger.Level.WARNING, "collector " + r.source().label() + " failed", e);
      }
      Labels labels = Labels.of("collector", r.source().label());
      success.add(new GaugeDataPointSnapshot(ok ? 1 : 0, labels, null));
      duration.add(new GaugeDataPointSnapshot((System.nanoTime() - start) / 1e9, labels, null));
    }
    out.add(new GaugeSnapshot(new MetricMetadata("sidecar_collector_success",
        "Whether the collector succeeded in this scrape (1) or not (0)."), success));
    out.add(new GaugeSnapshot(new MetricMetadata("sidecar_collector_duration_seconds",
        "How long the collector took in this scrape.", Unit.SECONDS), duration));
    return new MetricSnapshots(out);
  }
}
