package dev.researchmon.magics.api;

import java.time.Duration;

/**
 * What a cell's own threads used, measured by the kernel around the threads that run the cell's
 * code: only the kernel knows them. Magics add what the JVM says as a whole (GC, heap).
 *
 * <pre>{@code
 * CellUsage u = new CellUsage(Duration.ofMillis(12), 9_000_000, 1 << 20);
 * }</pre>
 *
 * @param wall the cell's wall-clock time, from its request to its result
 * @param cpuNanos CPU time of the threads that ran the cell's snippets; -1 where the JVM cannot say
 * @param allocatedBytes heap those threads allocated; -1 where the JVM cannot say
 */
public record CellUsage(Duration wall, long cpuNanos, long allocatedBytes) {

    /** A cell whose threads were not measured (a caller that knows only the wall time). */
    public static CellUsage wallOnly(Duration wall) {
        return new CellUsage(wall, -1, -1);
    }
}
