package dev.researchmon.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One series of a family: its labels and, depending on the family's type, either a {@code value}
 * (counter, gauge, unknown), {@code buckets}+{@code count}+{@code sum} (histogram),
 * {@code quantiles}+{@code count}+{@code sum} (summary), or nothing but labels (info).
 *
 * <p>Histogram buckets are cumulative and list only the finite upper bounds; {@code count} is the
 * {@code +Inf} bucket, so JSON never has to carry an infinity.
 *
 * <pre>{@code
 * MetricPoint.ofValue(Map.of("status", "ok"), 3);
 * MetricPoint.ofHistogram(Map.of(), List.of(new Bucket(0.1, 2), new Bucket(1, 5)), 6, 3.2);
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricPoint(
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("value") Double value,
        @JsonProperty("buckets") List<Bucket> buckets,
        @JsonProperty("quantiles") List<QuantileValue> quantiles,
        @JsonProperty("count") Long count,
        @JsonProperty("sum") Double sum) {

    public MetricPoint {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        buckets = buckets == null ? null : List.copyOf(buckets);
        quantiles = quantiles == null ? null : List.copyOf(quantiles);
    }

    /** A counter, gauge or unknown series. */
    public static MetricPoint ofValue(Map<String, String> labels, double value) {
        return new MetricPoint(labels, value, null, null, null, null);
    }

    /** A histogram series; {@code buckets} cumulative, finite bounds only. */
    public static MetricPoint ofHistogram(Map<String, String> labels, List<Bucket> buckets, long count, double sum) {
        return new MetricPoint(labels, null, buckets, null, count, sum);
    }

    /** A summary series. */
    public static MetricPoint ofSummary(
            Map<String, String> labels, List<QuantileValue> quantiles, long count, double sum) {
        return new MetricPoint(labels, null, null, quantiles, count, sum);
    }

    /** An info series: labels only. */
    public static MetricPoint ofInfo(Map<String, String> labels) {
        return new MetricPoint(labels, null, null, null, null, null);
    }

    /** A histogram bucket: how many observations were at most {@code le} (cumulative). */
    public record Bucket(
            @JsonProperty("le") double le,
            @JsonProperty("count") long count) {}

    /** A summary quantile: rank {@code q} in 0..1 and its value. */
    public record QuantileValue(
            @JsonProperty("q") double q,
            @JsonProperty("value") double value) {}
}
