package dev.researchmon.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One metric family in a report, mirroring client_java's {@code MetricSnapshot}.
 *
 * <p>{@code name} is the base name without the {@code _total} (counter) or {@code _info} (info)
 * suffix, as client_java's {@code MetricMetadata.getPrometheusName()} gives it; the sidecar strips
 * such a suffix if a writer sends it anyway.
 *
 * <pre>{@code
 * new MetricFamily("notebook_cells_executed", "Cells run", null, MetricType.COUNTER,
 *     List.of(MetricPoint.ofValue(Map.of("status", "ok"), 12)));
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricFamily(
        @JsonProperty("name") String name,
        @JsonProperty("help") String help,
        @JsonProperty("unit") String unit,
        @JsonProperty("type") MetricType type,
        @JsonProperty("points") List<MetricPoint> points) {

    public MetricFamily {
        points = points == null ? null : List.copyOf(points);
    }
}
