package dev.researchmon.magics.cost;

import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.gpu.GpuReader;
import dev.researchmon.magics.gpu.GpuState;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cell's GPU time and energy, as differences of this kernel's totals in the sidecar
 * ({@code gpu_notebook_busy_seconds_total}, {@code gpu_notebook_energy_joules_total}). The kernel
 * has no NVML of its own (its jar stays free of the binding, and NVML's per-process figures need
 * the sidecar's view of every process), so it asks the sidecar, but only after cells long enough
 * for a refresh to have seen them: a short cell pays nothing, and what it spent on a GPU shows in
 * the next long cell's figures. The sidecar shares energy once per refresh, so figures lag by up
 * to one refresh interval.
 *
 * <pre>{@code
 * spending.prime(sidecar, kernelId);                      // the baseline
 * List<CellCost.GpuSpent> g = spending.since(sidecar, kernelId, wall);
 * }</pre>
 */
public final class CellGpuSpending {
    /** Cells shorter than this show no GPU figures (a refresh is 1 s by default). */
    static final Duration MIN_CELL = Duration.ofMillis(500);

    private final GpuReader reader = new GpuReader(Duration.ofMillis(500));
    private Map<String, double[]> totals = new HashMap<>();

    /** Reads this kernel's totals now, as the baseline of the next cell. */
    public synchronized void prime(URI sidecar, String kernelId) {
        read(sidecar, kernelId).ifPresent(t -> totals = t);
    }

    /** Per GPU the kernel used, what it spent since the last read; empty for a short cell or no sidecar. */
    public synchronized List<CellCost.GpuSpent> since(URI sidecar, String kernelId, Duration wall) {
        if (wall.compareTo(MIN_CELL) < 0) {
            return List.of();
        }
        Map<String, double[]> now = read(sidecar, kernelId).orElse(null);
        if (now == null) {
            return List.of();
        }
        List<CellCost.GpuSpent> out = new ArrayList<>();
        now.forEach((gpu, t) -> {
            double[] before = totals.getOrDefault(gpu, new double[2]);
            double busy = t[1] - before[1];
            double joules = t[0] - before[0];
            if (busy > 0 || joules > 0) {
                out.add(new CellCost.GpuSpent(gpu, Math.max(0, busy), Math.max(0, joules)));
            }
        });
        totals = now;
        return out;
    }

    private java.util.Optional<Map<String, double[]>> read(URI sidecar, String kernelId) {
        try {
            GpuState state = reader.read(sidecar);
            Map<String, double[]> t = new HashMap<>();
            for (GpuState.Spent s : state.spentBy(kernelId)) {
                t.put(s.gpu(), new double[] {s.joules(), s.busySeconds()});
            }
            return java.util.Optional.of(t);
        } catch (MagicException e) {
            return java.util.Optional.empty(); // the footer simply has no GPU part
        }
    }
}
