package dev.researchmon.sidecar;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * Exposes every enabled source's success and duration. Registered after the sources, so in one
 * scrape it reports the outcomes that scrape just produced.
 *
 * <pre>{@code
 * registry.register(new CollectorHealth(List.of(gpu, notebook)));
 * }</pre>
 */
public final class CollectorHealth implements MultiCollector {
  private final List<MonitoredSource> sources;

  public CollectorHealth(List<MonitoredSource> sources) {
    this.sources = List.copyOf(sources);
  }

  @Override
  public MetricSnapshots collect() {
    List<GaugeDataPointSnapshot> success = new ArrayList<>();
    List<GaugeDataPointSnapshot> duration = new ArrayList<>();
    for (MonitoredSource source : sources) {
      CollectorOutcome outcome = source.lastOutcome();
      Labels labels = Labels.of("collector", source.collectorName());
      success.add(new GaugeDataPointSnapshot(outcome.success() ? 1 : 0, labels, null));
      duration.add(new GaugeDataPointSnapshot(outcome.durationSeconds(), labels, null));
    }
    return MetricSnapshots.of(
        new GaugeSnapshot(new MetricMetadata("sidecar_collector_success",
            "Whether the collector's last collection succeeded (1) or not (0)."), success),
        new GaugeSnapshot(new MetricMetadata("sidecar_collector_duration_seconds",
            "How long the collector's last collection took.", Unit.SECONDS), duration));
  }
}
