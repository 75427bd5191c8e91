package dev.researchmon.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One kernel's report to the sidecar: who the kernel is and the current state of its registry.
 *
 * <p>A report replaces the previous one from the same kernel whole, so it always carries every
 * series the kernel has (cumulative counters, not deltas).
 *
 * <pre>{@code
 * KernelReport r = new KernelReport("3f2a", "train.ipynb", ProcessHandle.current().pid(), 7,
 *     ReportMapper.fromSnapshots(registry.scrape()));
 * }</pre>
 *
 * @param kernelId the Jupyter kernel id; must equal the id in the request path
 * @param notebook the notebook's path or name, shown as the {@code notebook} label (may be empty)
 * @param pid the kernel's process id, so the sidecar can forget a dead kernel and attribute GPU
 *     memory; {@code null} when unknown
 * @param sequence increases with every report of one kernel; an older report never replaces a newer
 * @param metrics the metric families, as {@link ReportMapper#fromSnapshots} builds them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KernelReport(
        @JsonProperty("kernel_id") String kernelId,
        @JsonProperty("notebook") String notebook,
        @JsonProperty("pid") Long pid,
        @JsonProperty("sequence") long sequence,
        @JsonProperty("metrics") List<MetricFamily> metrics) {

    public KernelReport {
        metrics = metrics == null ? null : List.copyOf(metrics);
    }
}
