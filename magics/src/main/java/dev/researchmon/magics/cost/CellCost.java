package dev.researchmon.magics.cost;

import dev.researchmon.magics.api.CellOutcome;
import java.time.Duration;
import java.util.List;

/**
 * What one executed cell cost: the footer's line, a row of {@code %monitoring cells}, and one
 * observation of each per-notebook histogram.
 *
 * <pre>{@code
 * CellCost c = meter.finish(7, CellOutcome.OK, usage, List.of());
 * CellFooter.render(c);
 * }</pre>
 *
 * @param cpuNanos       CPU time of the cell's threads, -1 where not measured
 * @param allocatedBytes heap the cell's threads allocated, -1 where not measured
 * @param gcNanos        collection pauses in the whole JVM while the cell ran
 * @param gcPauses       how many collections that was
 * @param peakHeapBytes  the heap pools' peak use while the cell ran (their peaks, summed), -1 unknown
 * @param gpus           per GPU this kernel used, its GPU time and energy; empty when none or unknown
 */
public record CellCost(
        int executionCount,
        CellOutcome outcome,
        Duration wall,
        long cpuNanos,
        long allocatedBytes,
        long gcNanos,
        long gcPauses,
        long peakHeapBytes,
        List<GpuSpent> gpus) {
    public CellCost {
        gpus = List.copyOf(gpus);
    }

    /** One GPU's share for this cell: GPU time (utilization times time) and energy. */
    public record GpuSpent(String gpu, double busySeconds, double joules) {}
}
