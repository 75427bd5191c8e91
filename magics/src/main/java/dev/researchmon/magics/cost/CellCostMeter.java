package dev.researchmon.magics.cost;

import com.sun.management.GcInfo;
import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.CellUsage;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Adds to what the kernel measured of a cell's threads ({@link CellUsage}) what only the JVM as a
 * whole can say: collection pauses (the collectors' time and count, deltas over the cell) and the
 * heap's peak while the cell ran.
 *
 * <p>The peak is the largest of the heap in use at the cell's end and just before the last
 * collection of each collector that ran during the cell (its {@code GcInfo}); between collections
 * the heap only grows. Where one collector ran several times in one cell, only its last collection
 * is seen. For young collections it is usually the largest, since the old generation only grows
 * between full collections (a full collection in between is seen through its own collector); a cell
 * whose young generation shrank between its collections may show a lower peak than it reached.
 *
 * <p>Why not the collectors' notifications, which see every collection: while anyone listens, the
 * JVM builds an open-type record of every collection on its notification thread, and a cell that
 * collected had to wait for it. A trivial cell collects about one time in nine (javac's garbage):
 * the notification thread spent ~50 us of CPU per trivial cell on average, a quarter of what the
 * footer may cost (bench/magics/cell_footer_cost.py, per-thread CPU). Nor the heap pools' own
 * peaks: summed, they overstate, since each pool peaks at its own moment. This reads the collectors'
 * counts, and a GcInfo only in a cell that collected; nothing runs between cells.
 *
 * <p>Calls come from the kernel's execute thread only, one cell at a time.
 *
 * <pre>{@code
 * meter.start();                                        // cellStarted
 * CellCost c = meter.finish(n, outcome, usage, gpus);   // cellFinished
 * }</pre>
 */
public final class CellCostMeter {
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    /** By collector, as in {@link #collectors}: whether its time is pauses (concurrent cycles, G1 Concurrent GC or ZGC Cycles, run beside the cell). */
    private final boolean[] pauses = new boolean[collectors.size()];

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    /** The collectors' totals when the cell being measured started; null between cells. */
    private Totals atStart;

    public CellCostMeter() {
        for (int i = 0; i < collectors.size(); i++) {
            String name = collectors.get(i).getName();
            pauses[i] = !name.contains("Concurrent") && !name.contains("Cycles");
            // the JVM's first GcInfo loads and links its open types, ~9 ms once here: paid now, in the
            // magic that turns measuring on, not by the first cell that collects
            if (collectors.get(i) instanceof com.sun.management.GarbageCollectorMXBean gc) {
                gc.getLastGcInfo();
            }
        }
    }

    /** The collectors' counts and pause time, read once a side of the cell. */
    private record Totals(long[] counts, long pauses, long pauseMillis) {}

    private Totals totals() {
        long[] counts = new long[collectors.size()];
        long pauseCount = 0;
        long pauseMillis = 0;
        for (int i = 0; i < counts.length; i++) {
            GarbageCollectorMXBean gc = collectors.get(i);
            counts[i] = Math.max(0, gc.getCollectionCount());
            if (pauses[i]) {
                pauseCount += counts[i];
                pauseMillis += Math.max(0, gc.getCollectionTime());
            }
        }
        return new Totals(counts, pauseCount, pauseMillis);
    }

    public void start() {
        atStart = totals();
    }

    /** Whether {@link #start()} saw this cell begin (a listener added mid-cell did not). */
    public boolean started() {
        return atStart != null;
    }

    public CellCost finish(int executionCount, CellOutcome outcome, CellUsage usage, List<CellCost.GpuSpent> gpus) {
        long gcNanos = 0;
        long gcPauses = 0;
        long peak = -1;
        Totals start = atStart;
        if (start != null) {
            Totals end = totals();
            gcNanos = (end.pauseMillis() - start.pauseMillis()) * 1_000_000;
            gcPauses = end.pauses() - start.pauses();
            peak = peak(start, end);
            atStart = null;
        }
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

    private long peak(Totals start, Totals end) {
        long peak = memory.getHeapMemoryUsage().getUsed();
        for (int i = 0; i < collectors.size(); i++) {
            if (end.counts()[i] > start.counts()[i]
                    && collectors.get(i) instanceof com.sun.management.GarbageCollectorMXBean gc) {
                GcInfo last = gc.getLastGcInfo();
                // ids count from 1: an id at or below the count at the start is from before the cell
                if (last != null && last.getId() > start.counts()[i]) {
                    peak = Math.max(peak, heapBefore(last));
                }
            }
        }
        return peak;
    }

    private long heapBefore(GcInfo collection) {
        long before = 0;
        for (Map.Entry<String, MemoryUsage> pool :
                collection.getMemoryUsageBeforeGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                before += pool.getValue().getUsed();
            }
        }
        return before;
    }
}
