package dev.researchmon.sidecar.notebook;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins same-named families of several kernels into one family (their series differ by
 * {@code kernel_id}), since an exposition may name a family only once.
 */
final class SnapshotMerger {
    private SnapshotMerger() {}

    /** All parts must be of the first part's class; the first part's metadata wins. */
    static MetricSnapshot merge(List<MetricSnapshot> parts) {
        MetricSnapshot first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        if (first instanceof CounterSnapshot) {
            return new CounterSnapshot(
                    first.getMetadata(), points(parts, CounterSnapshot.CounterDataPointSnapshot.class));
        } else if (first instanceof GaugeSnapshot) {
            return new GaugeSnapshot(first.getMetadata(), points(parts, GaugeSnapshot.GaugeDataPointSnapshot.class));
        } else if (first instanceof HistogramSnapshot) {
            return new HistogramSnapshot(
                    first.getMetadata(), points(parts, HistogramSnapshot.HistogramDataPointSnapshot.class));
        } else if (first instanceof SummarySnapshot) {
            return new SummarySnapshot(
                    first.getMetadata(), points(parts, SummarySnapshot.SummaryDataPointSnapshot.class));
        } else if (first instanceof InfoSnapshot) {
            return new InfoSnapshot(first.getMetadata(), points(parts, InfoSnapshot.InfoDataPointSnapshot.class));
        } else if (first instanceof UnknownSnapshot) {
            return new UnknownSnapshot(
                    first.getMetadata(), points(parts, UnknownSnapshot.UnknownDataPointSnapshot.class));
        }
        throw new IllegalArgumentException("cannot merge " + first.getClass());
    }

    private static <P> List<P> points(List<MetricSnapshot> parts, Class<P> type) {
        List<P> all = new ArrayList<>();
        for (MetricSnapshot part : parts) {
            for (Object p : part.getDataPoints()) {
                all.add(type.cast(p));
            }
        }
        return all;
    }
}
