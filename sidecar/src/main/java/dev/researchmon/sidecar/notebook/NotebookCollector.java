package dev.researchmon.sidecar.notebook;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exposes every live kernel's reported families, labelled by {@code kernel_id} and
 * {@code notebook}, plus how many kernels, series and bytes there are. It only reads: kernels leave
 * on {@link KernelRegistry#evictGone()}'s own timer, so no reader of {@code /metrics} moves any
 * state on. The merged output is reused until a report changes it.
 *
 * <pre>{@code
 * registry.register(new NotebookCollector(kernels));
 * }</pre>
 */
public final class NotebookCollector implements MultiCollector {
    /** The merged families and the entries they were made from (what this scrape exposes). */
    private record Merged(
            long version, List<KernelRegistry.Entry> entries, List<MetricSnapshot> families, int conflicts) {}

    private final KernelRegistry kernels;
    private volatile Merged cache = new Merged(-1, List.of(), List.of(), 0);

    public NotebookCollector(KernelRegistry kernels) {
        this.kernels = kernels;
    }

    @Override
    public MetricSnapshots collect() {
        Merged merged = merged();
        List<MetricSnapshot> out = new ArrayList<>(merged.families());
        // counted from the entries this scrape shows, so the counts always match the series served
        long series = 0;
        long bytes = 0;
        for (KernelRegistry.Entry e : merged.entries()) {
            series += e.series();
            bytes += e.bytes();
        }
        out.add(gauge(
                "sidecar_kernels",
                "Kernels whose reports the sidecar holds.",
                merged.entries().size()));
        out.add(gauge("sidecar_notebook_series", "Series held from kernel reports.", series));
        out.add(gauge(
                "sidecar_notebook_exposition_bytes",
                "Bytes the series held from kernel reports may take on /metrics (at most --max-exposition-bytes).",
                bytes));
        out.add(goneKernels(merged.entries()));
        out.add(gauge(
                "sidecar_notebook_type_conflicts",
                "Kernel families left out because another kernel reports the same name with another type.",
                merged.conflicts()));
        return new MetricSnapshots(out);
    }

    private Merged merged() {
        long version = kernels.version();
        Merged cached = cache;
        if (cached.version() == version) {
            return cached;
        }
        Map<String, List<MetricSnapshot>> byName = new LinkedHashMap<>();
        int conflicts = 0;
        List<KernelRegistry.Entry> entries = List.copyOf(kernels.entries());
        for (KernelRegistry.Entry entry : entries) {
            for (MetricSnapshot snapshot : entry.snapshots()) {
                String name = snapshot.getMetadata().getPrometheusName();
                List<MetricSnapshot> parts = byName.computeIfAbsent(name, n -> new ArrayList<>());
                if (parts.isEmpty() || parts.get(0).getClass() == snapshot.getClass()) {
                    parts.add(snapshot);
                } else {
                    conflicts++;
                }
            }
        }
        List<MetricSnapshot> families = new ArrayList<>(byName.size());
        byName.values().forEach(parts -> families.add(SnapshotMerger.merge(parts)));
        Merged fresh = new Merged(version, entries, List.copyOf(families), conflicts);
        cache = fresh;
        return fresh;
    }

    /**
     * One series per kernel that is gone but still shown, so that rules can tell its last values,
     * which repeat until it leaves, from those of a kernel that is alive but silent.
     */
    private static GaugeSnapshot goneKernels(List<KernelRegistry.Entry> entries) {
        List<GaugeDataPointSnapshot> points = new ArrayList<>();
        for (KernelRegistry.Entry e : entries) {
            if (e.gone()) {
                points.add(new GaugeDataPointSnapshot(
                        1,
                        Labels.of(
                                "kernel_id",
                                e.ref().kernelId(),
                                "notebook",
                                e.ref().notebook()),
                        null));
            }
        }
        return new GaugeSnapshot(
                new MetricMetadata(
                        "sidecar_kernel_gone",
                        "1 for a kernel whose process exited or that said DELETE, shown with its last values until "
                                + "every scraper has read them once."),
                points);
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return new GaugeSnapshot(
                new MetricMetadata(name, help), List.of(new GaugeDataPointSnapshot(value, Labels.EMPTY, null)));
    }
}
