package dev.researchmon.magics.cost;

import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.CellUsage;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Adds to what the kernel measured of a cell's threads ({@link CellUsage}) what only the JVM as a
 * whole can say: collection pauses (the collectors' time and count, deltas over the cell) and the
 * heap's peak (the heap pools' peaks, reset as the cell starts). Called from the kernel's execute
 * thread only, one cell at a time.
 *
 * <pre>{@code
 * meter.start();                                        // cellStarted
 * CellCost c = meter.finish(n, outcome, usage, gpus);   // cellFinished
 * }</pre>
 */
public final class CellCostMeter {
    /** Collectors whose time is pauses; concurrent cycles (G1 Concurrent GC, ZGC Cycles) run beside the cell. */
    private final List<GarbageCollectorMXBean> pausing = ManagementFactory.getGarbageCollectorMXBeans().stream()
            .filter(gc -> !gc.getName().contains("Concurrent") && !gc.getName().contains("Cycles"))
            .toList();

    private final List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isValid())
            .toList();
    private boolean started;
    private long gcMillisAtStart;
    private long gcCountAtStart;

    public void start() {
        gcMillisAtStart = gcMillis();
        gcCountAtStart = gcCount();
        for (MemoryPoolMXBean pool : heap) {
            pool.resetPeakUsage();
        }
        started = true;
    }

    /** Whether {@link #start()} saw this cell begin (a listener added mid-cell did not). */
    public boolean started() {
        return started;
    }

    public CellCost finish(int executionCount, CellOutcome outcome, CellUsage usage, List<CellCost.GpuSpent> gpus) {
        long gcNanos = started ? (gcMillis() - gcMillisAtStart) * 1_000_000 : 0;
        long gcPauses = started ? gcCount() - gcCountAtStart : 0;
        long peak = started ? 0 : -1;
        if (started) {
            for (MemoryPoolMXBean pool : heap) {
                var usageNow = pool.getPeakUsage();
                peak += usageNow == null ? 0 : usageNow.getUsed();
            }
        }
        started = false;
        return new CellCost(
                executionCount,
                outcome,
                usage.wall(),
                usage.cpuNanos(),
                usage.allocatedBytes(),
                Math.max(0, gcNanos),
                Math.max(0, gcPauses),
                peak,
                gpus);
    }

    private long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : pausing) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private long gcCount() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : pausing) {
            sum += Math.max(0, gc.getCollectionCount());
        }
        return sum;
    }
}
