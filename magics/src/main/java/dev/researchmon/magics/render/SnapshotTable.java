package dev.researchmon.magics.render;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A kernel's current metric values as a table, one row per series: {@code %metrics}.
 * Histograms and summaries show count and sum (and a summary its quantiles).
 *
 * <pre>{@code
 * Table t = SnapshotTable.of(registry.scrape());
 * }</pre>
 */
public final class SnapshotTable {
    private SnapshotTable() {}

    public static Table of(MetricSnapshots snapshots) {
        Table t = new Table(List.of("metric", "type", "labels", "value"));
        List<MetricSnapshot> sorted = new ArrayList<>();
        snapshots.forEach(sorted::add);
        sorted.sort(Comparator.comparing(s -> s.getMetadata().getPrometheusName()));
        for (MetricSnapshot s : sorted) {
            String name = s.getMetadata().getPrometheusName();
            String type = type(s);
            if (s instanceof CounterSnapshot) {
                name += "_total";
            }
            for (DataPointSnapshot p : s.getDataPoints()) {
                t.row(name, type, labels(p.getLabels()), value(p));
            }
        }
        return t;
    }

    private static String type(MetricSnapshot s) {
        if (s instanceof CounterSnapshot) {
            return "counter";
        } else if (s instanceof GaugeSnapshot) {
            return "gauge";
        } else if (s instanceof HistogramSnapshot) {
            return "histogram";
        } else if (s instanceof SummarySnapshot) {
            return "summary";
        } else if (s instanceof InfoSnapshot) {
            return "info";
        } else if (s instanceof StateSetSnapshot) {
            return "stateset";
        }
        return "unknown";
    }

    private static String value(DataPointSnapshot p) {
        if (p instanceof CounterSnapshot.CounterDataPointSnapshot c) {
            return Numbers.format(c.getValue());
        } else if (p instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
            return Numbers.format(g.getValue());
        } else if (p instanceof UnknownSnapshot.UnknownDataPointSnapshot u) {
            return Numbers.format(u.getValue());
        } else if (p instanceof HistogramSnapshot.HistogramDataPointSnapshot h) {
            return "count " + h.getCount() + ", sum " + (h.hasSum() ? Numbers.format(h.getSum()) : "-");
        } else if (p instanceof SummarySnapshot.SummaryDataPointSnapshot s) {
            StringBuilder sb = new StringBuilder(
                    "count " + s.getCount() + ", sum " + (s.hasSum() ? Numbers.format(s.getSum()) : "-"));
            for (Quantile q : s.getQuantiles()) {
                sb.append(", q")
                        .append(Numbers.format(q.getQuantile()))
                        .append(' ')
                        .append(Numbers.format(q.getValue()));
            }
            return sb.toString();
        } else if (p instanceof StateSetSnapshot.StateSetDataPointSnapshot st) {
            List<String> on = new ArrayList<>();
            for (int i = 0; i < st.size(); i++) {
                if (st.isTrue(i)) {
                    on.add(st.getName(i));
                }
            }
            return String.join(", ", on);
        }
        return "1";
    }

    private static String labels(Labels labels) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            parts.add(labels.getName(i) + "=\"" + labels.getValue(i) + "\"");
        }
        return parts.stream().collect(Collectors.joining(", "));
    }
}
