package dev.researchmon.report;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps client_java snapshots to report families (kernel side) and back (sidecar side).
 *
 * <pre>{@code
 * // kernel: what the registry holds now
 * List<MetricFamily> families = ReportMapper.fromSnapshots(registry.scrape());
 * // sidecar: one family back, labelled with its kernel
 * MetricSnapshot s = ReportMapper.toSnapshot(family, Labels.of("kernel_id", id, "notebook", nb));
 * }</pre>
 */
public final class ReportMapper {
    private ReportMapper() {}

    /** Every family of a registry scrape, in report form. Exemplars and timestamps are left out. */
    public static List<MetricFamily> fromSnapshots(MetricSnapshots snapshots) {
        List<MetricFamily> families = new ArrayList<>(snapshots.size());
        for (MetricSnapshot snapshot : snapshots) {
            families.add(fromSnapshot(snapshot));
        }
        return families;
    }

    /** One snapshot in report form. */
    public static MetricFamily fromSnapshot(MetricSnapshot snapshot) {
        MetricMetadata meta = snapshot.getMetadata();
        String unit = meta.hasUnit() ? meta.getUnit().toString() : null;
        List<MetricPoint> points = new ArrayList<>();
        MetricType type;
        if (snapshot instanceof CounterSnapshot counter) {
            type = MetricType.COUNTER;
            counter.getDataPoints().forEach(p -> points.add(MetricPoint.ofValue(labelsOf(p), p.getValue())));
        } else if (snapshot instanceof GaugeSnapshot gauge) {
            type = MetricType.GAUGE;
            gauge.getDataPoints().forEach(p -> points.add(MetricPoint.ofValue(labelsOf(p), p.getValue())));
        } else if (snapshot instanceof HistogramSnapshot histogram) {
            type = MetricType.HISTOGRAM;
            histogram.getDataPoints().forEach(p -> points.add(histogramPoint(p)));
        } else if (snapshot instanceof SummarySnapshot summary) {
            type = MetricType.SUMMARY;
            summary.getDataPoints().forEach(p -> points.add(summaryPoint(p)));
        } else if (snapshot instanceof InfoSnapshot info) {
            type = MetricType.INFO;
            info.getDataPoints().forEach(p -> points.add(MetricPoint.ofInfo(labelsOf(p))));
        } else if (snapshot instanceof StateSetSnapshot stateSet) {
            // A state set is, on the wire, a gauge with one 0/1 series per state named after the family.
            type = MetricType.GAUGE;
            for (var p : stateSet.getDataPoints()) {
                for (int i = 0; i < p.size(); i++) {
                    Map<String, String> labels = new LinkedHashMap<>(labelsOf(p));
                    labels.put(meta.getPrometheusName(), p.getName(i));
                    points.add(MetricPoint.ofValue(labels, p.isTrue(i) ? 1 : 0));
                }
            }
        } else if (snapshot instanceof UnknownSnapshot unknown) {
            type = MetricType.UNKNOWN;
            unknown.getDataPoints().forEach(p -> points.add(MetricPoint.ofValue(labelsOf(p), p.getValue())));
        } else {
            throw new IllegalArgumentException("unsupported snapshot type " + snapshot.getClass());
        }
        return new MetricFamily(meta.getPrometheusName(), meta.getHelp(), unit, type, points);
    }

    private static MetricPoint histogramPoint(HistogramDataPointSnapshot p) {
        List<MetricPoint.Bucket> buckets = new ArrayList<>();
        long cumulative = 0;
        if (p.hasClassicHistogramData()) {
            ClassicHistogramBuckets classic = p.getClassicBuckets();
            for (int i = 0; i < classic.size(); i++) {
                cumulative += classic.getCount(i);
                if (Double.isFinite(classic.getUpperBound(i))) {
                    buckets.add(new MetricPoint.Bucket(classic.getUpperBound(i), cumulative));
                }
            }
        }
        long count = p.hasCount() ? p.getCount() : cumulative;
        return MetricPoint.ofHistogram(labelsOf(p), buckets, count, p.hasSum() ? p.getSum() : 0);
    }

    private static MetricPoint summaryPoint(SummaryDataPointSnapshot p) {
        List<MetricPoint.QuantileValue> quantiles = new ArrayList<>();
        for (Quantile q : p.getQuantiles()) {
            quantiles.add(new MetricPoint.QuantileValue(q.getQuantile(), q.getValue()));
        }
        return MetricPoint.ofSummary(
                labelsOf(p), quantiles, p.hasCount() ? p.getCount() : 0, p.hasSum() ? p.getSum() : 0);
    }

    private static Map<String, String> labelsOf(DataPointSnapshot p) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Label label : p.getLabels()) {
            labels.put(label.getName(), label.getValue());
        }
        return labels;
    }

    /**
     * One reported family as a client_java snapshot whose every series carries {@code extra} labels;
     * a reported label with the same name as an extra one is replaced, not duplicated.
     *
     * @throws IllegalArgumentException when client_java rejects the family (bad metric or label name,
     *     duplicate series, negative counter, buckets out of order); the message says why
     */
    public static MetricSnapshot toSnapshot(MetricFamily family, Labels extra) {
        MetricMetadata meta = metadataOf(family);
        switch (family.type()) {
            case COUNTER -> {
                List<CounterDataPointSnapshot> points = new ArrayList<>();
                for (MetricPoint p : family.points()) {
                    points.add(new CounterDataPointSnapshot(p.value(), labels(p, extra), null, 0L));
                }
                return new CounterSnapshot(meta, points);
            }
            case GAUGE -> {
                List<GaugeDataPointSnapshot> points = new ArrayList<>();
                for (MetricPoint p : family.points()) {
                    points.add(new GaugeDataPointSnapshot(p.value(), labels(p, extra), null));
                }
                return new GaugeSnapshot(meta, points);
            }
            case UNKNOWN -> {
                List<UnknownDataPointSnapshot> points = new ArrayList<>();
                for (MetricPoint p : family.points()) {
                    points.add(new UnknownDataPointSnapshot(p.value(), labels(p, extra), null));
                }
                return new UnknownSnapshot(meta, points);
            }
            case INFO -> {
                List<InfoDataPointSnapshot> points = new ArrayList<>();
                for (MetricPoint p : family.points()) {
                    points.add(new InfoDataPointSnapshot(labels(p, extra)));
                }
                return new InfoSnapshot(meta, points);
            }
            case HISTOGRAM -> {
                List<HistogramDataPointSnapshot> points = new ArrayList<>();
                for (MetricPoint p : family.points()) {
                    points.add(new HistogramDataPointSnapshot(
                            classicBuckets(p), p.sum(), labels(p, extra), Exemplars.EMPTY, 0L));
                }
                return new HistogramSnapshot(meta, points);
            }
            case SUMMARY -> {
                List<SummaryDataPointSnapshot> points = new ArrayList<>();
                for (MetricPoint p : family.points()) {
                    List<Quantile> quantiles = new ArrayList<>();
                    if (p.quantiles() != null) {
                        p.quantiles().forEach(q -> quantiles.add(new Quantile(q.q(), q.value())));
                    }
                    points.add(new SummaryDataPointSnapshot(
                            p.count(), p.sum(), Quantiles.of(quantiles), labels(p, extra), Exemplars.EMPTY, 0L));
                }
                return new SummarySnapshot(meta, points);
            }
        }
        throw new IllegalArgumentException("unsupported type " + family.type());
    }

    /** The family's name as the sidecar exposes it (suffixes a writer should not send, stripped). */
    public static String baseName(MetricFamily family) {
        String name = family.name();
        if (family.type() == MetricType.COUNTER && name.endsWith("_total")) {
            return name.substring(0, name.length() - "_total".length());
        }
        if (family.type() == MetricType.INFO && name.endsWith("_info")) {
            return name.substring(0, name.length() - "_info".length());
        }
        return name;
    }

    private static MetricMetadata metadataOf(MetricFamily family) {
        String name = baseName(family);
        String help = family.help() == null ? "" : family.help();
        // client_java insists that a unit is the name's suffix; a unit that is not is left out rather
        // than failing the family, since it only shows in OpenMetrics' # UNIT line.
        if (family.unit() != null && !family.unit().isEmpty() && name.endsWith("_" + family.unit())) {
            return new MetricMetadata(name, help, new Unit(family.unit()));
        }
        return new MetricMetadata(name, help);
    }

    private static ClassicHistogramBuckets classicBuckets(MetricPoint p) {
        List<Double> bounds = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        long previous = 0;
        double previousBound = Double.NEGATIVE_INFINITY;
        for (MetricPoint.Bucket b : p.buckets()) {
            if (!(b.le() > previousBound) || b.count() < previous) {
                throw new IllegalArgumentException(
                        "histogram buckets must have increasing le and non-decreasing cumulative counts");
            }
            bounds.add(b.le());
            counts.add(b.count() - previous);
            previous = b.count();
            previousBound = b.le();
        }
        if (p.count() < previous) {
            throw new IllegalArgumentException("histogram count is below its last bucket's count");
        }
        bounds.add(Double.POSITIVE_INFINITY);
        counts.add(p.count() - previous);
        return ClassicHistogramBuckets.of(bounds, counts);
    }

    private static Labels labels(MetricPoint p, Labels extra) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (var e : p.labels().entrySet()) {
            if (!extra.contains(e.getKey())) {
                names.add(e.getKey());
                values.add(e.getValue());
            }
        }
        return Labels.of(names, values).merge(extra);
    }
}
