package dev.researchmon.magics.monitor;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One scrape of the built-in registry and the notebook's (by default
 * {@link PrometheusRegistry#defaultRegistry}), as a single set of snapshots. When a notebook
 * registers a name that the built-ins already use, the built-in wins: one family per name is what
 * the report format and Prometheus allow.
 *
 * <pre>{@code
 * Supplier<MetricSnapshots> source = new CombinedScrape(metrics.registry(), PrometheusRegistry.defaultRegistry);
 * }</pre>
 */
public record CombinedScrape(PrometheusRegistry builtIn, PrometheusRegistry notebook)
        implements Supplier<MetricSnapshots> {

    @Override
    public MetricSnapshots get() {
        MetricSnapshots first = builtIn.scrape();
        Set<String> names = new HashSet<>();
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        for (MetricSnapshot s : first) {
            names.add(s.getMetadata().getPrometheusName());
            all.metricSnapshot(s);
        }
        for (MetricSnapshot s : notebook.scrape()) {
            if (names.add(s.getMetadata().getPrometheusName())) {
                all.metricSnapshot(s);
            }
        }
        return all.build();
    }
}
