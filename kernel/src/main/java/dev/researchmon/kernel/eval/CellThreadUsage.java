package dev.researchmon.kernel.eval;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time and allocated bytes of the threads that run a cell's snippets, added up by each thread
 * as it ends (a fresh thread starts from zero, so its own totals are the snippet's). Read by the
 * kernel's execute flow between {@link #reset()} at the cell's start and {@link #cpuNanos()} at
 * its end; threads a cell starts itself are not counted.
 *
 * <pre>{@code
 * CellThreadUsage.reset();      // a cell starts
 * ...                           // its snippets run, each thread calling add() as it ends
 * long cpu = CellThreadUsage.cpuNanos();
 * }</pre>
 */
public final class CellThreadUsage {
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.ThreadMXBean SUN_THREADS =
            THREADS instanceof com.sun.management.ThreadMXBean sun ? sun : null;
    private static final boolean CPU = THREADS.isCurrentThreadCpuTimeSupported();
    private static final boolean ALLOCATION = SUN_THREADS != null && SUN_THREADS.isThreadAllocatedMemorySupported();
    private static final AtomicLong cpuNanos = new AtomicLong();
    private static final AtomicLong allocatedBytes = new AtomicLong();

    private CellThreadUsage() {}

    public static void reset() {
        cpuNanos.set(0);
        allocatedBytes.set(0);
    }

    /** Called by a snippet's thread as it ends: about a microsecond. */
    static void addCurrentThread() {
        if (CPU) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            if (cpu > 0) {
                cpuNanos.addAndGet(cpu);
            }
        }
        if (ALLOCATION) {
            long bytes = SUN_THREADS.getCurrentThreadAllocatedBytes();
            if (bytes > 0) {
                allocatedBytes.addAndGet(bytes);
            }
        }
    }

    /** CPU time of the cell's snippet threads so far, or -1 where the JVM cannot measure it. */
    public static long cpuNanos() {
        return CPU ? cpuNanos.get() : -1;
    }

    /** Heap bytes those threads allocated so far, or -1 where the JVM cannot measure it. */
    public static long allocatedBytes() {
        return ALLOCATION ? allocatedBytes.get() : -1;
    }
}
