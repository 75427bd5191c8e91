package dev.researchmon.magics.cost;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.CellUsage;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Adds to what the kernel measured of a cell's threads ({@link CellUsage}) what only the JVM as a
 * whole can say: collection pauses (the collectors' time and count, deltas over the cell) and the
 * heap's peak while the cell ran.
 *
 * <p>The peak is the largest of the heap in use just before each collection during the cell (from
 * the collectors' notifications) and at the cell's end: between collections the heap only grows.
 * The heap pools' own peaks would overstate it, summed, since each pool peaks at its own moment, and
 * resetting and reading them costs the cell six calls into the JVM where this costs one.
 *
 * <p>Calls to {@link #start} and {@link #finish} come from the kernel's execute thread only, one
 * cell at a time; notifications come on the JVM's own thread, and only when a collection runs: the
 * meter costs nothing between cells. {@link #close} stops listening.
 *
 * <pre>{@code
 * meter.start();                                        // cellStarted
 * CellCost c = meter.finish(n, outcome, usage, gpus);   // cellFinished
 * meter.close();                                        // footers and monitoring off
 * }</pre>
 */
public final class CellCostMeter implements AutoCloseable {
    /** How long {@link #finish} waits for the notification of a collection the counts say ran. */
    static final long NOTIFICATION_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    /** By collector, as in {@link #collectors}: whether its time is pauses (concurrent cycles, G1 Concurrent GC or ZGC Cycles, run beside the cell). */
    private final boolean[] pauses = new boolean[collectors.size()];

    private final Map<String, Integer> collectorIndex = new HashMap<>();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final NotificationListener onCollection = (n, handback) -> collected(n);

    /**
     * The cell being measured, swapped whole as a cell starts and cleared as it finishes: a
     * notification is judged by the window current when it comes, so that a collection from before
     * the cell, notified late, cannot count in it, and one between cells counts nowhere.
     *
     * @param atStart the collectors' counts and pause time when the cell started
     * @param peak    the heap just before the cell's collections, the largest; 0 before any
     * @param seen    the cell's collections whose notification came
     */
    private record Window(Totals atStart, AtomicLong peak, AtomicLong seen) {}

    /** The cell's window; null between cells, and for a cell this meter did not see start. */
    private volatile Window window;

    private boolean listening;

    public CellCostMeter() {
        for (int i = 0; i < collectors.size(); i++) {
            String name = collectors.get(i).getName();
            pauses[i] = !name.contains("Concurrent") && !name.contains("Cycles");
            collectorIndex.put(name, i);
        }
    }

    /** The collectors' counts and pause time, read once a side of the cell. */
    private record Totals(long[] counts, long collections, long pauses, long pauseMillis) {}

    private Totals totals() {
        long[] counts = new long[collectors.size()];
        long collections = 0;
        long pauseCount = 0;
        long pauseMillis = 0;
        for (int i = 0; i < counts.length; i++) {
            GarbageCollectorMXBean gc = collectors.get(i);
            counts[i] = Math.max(0, gc.getCollectionCount());
            collections += counts[i];
            if (pauses[i]) {
                pauseCount += counts[i];
                pauseMillis += Math.max(0, gc.getCollectionTime());
            }
        }
        return new Totals(counts, collections, pauseCount, pauseMillis);
    }

    public void start() {
        listen();
        window = new Window(totals(), new AtomicLong(), new AtomicLong());
    }

    /** Whether {@link #start()} saw this cell begin (a listener added mid-cell did not). */
    public boolean started() {
        return window != null;
    }

    public CellCost finish(int executionCount, CellOutcome outcome, CellUsage usage, List<CellCost.GpuSpent> gpus) {
        long gcNanos = 0;
        long gcPauses = 0;
        long peak = -1;
        Window w = window;
        if (w != null) {
            Totals atStart = w.atStart();
            Totals atEnd = totals();
            gcNanos = (atEnd.pauseMillis() - atStart.pauseMillis()) * 1_000_000;
            gcPauses = atEnd.pauses() - atStart.pauses();
            peak = peak(w, atEnd.collections() - atStart.collections());
            window = null;
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

    private long peak(Window w, long collectionsDuringTheCell) {
        if (collectionsDuringTheCell > 0) {
            // the JVM notifies from its own thread, after the collection: the cell's last may be on its way
            long deadline = System.nanoTime() + NOTIFICATION_WAIT_NANOS;
            while (w.seen().get() < collectionsDuringTheCell && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
        }
        return Math.max(w.peak().get(), memory.getHeapMemoryUsage().getUsed());
    }

    private void collected(Notification n) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        Window w = window;
        Integer collector = collectorIndex.get(info.getGcName());
        // a collection from before the cell, notified late, is not the cell's (ids count from 1)
        if (w == null
                || collector == null
                || info.getGcInfo().getId() <= w.atStart().counts()[collector]) {
            return;
        }
        long before = 0;
        for (Map.Entry<String, MemoryUsage> pool :
                info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                before += pool.getValue().getUsed();
            }
        }
        w.peak().accumulateAndGet(before, Math::max);
        w.seen().incrementAndGet();
    }

    private synchronized void listen() {
        if (listening) {
            return;
        }
        for (GarbageCollectorMXBean gc : collectors) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(onCollection, null, null);
            }
        }
        listening = true;
    }

    /** Stops listening to the collectors; a later {@link #start} listens again. */
    @Override
    public synchronized void close() {
        if (!listening) {
            return;
        }
        for (GarbageCollectorMXBean gc : collectors) {
            if (gc instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(onCollection);
                } catch (ListenerNotFoundException e) {
                    // not there: nothing to remove
                }
            }
        }
        listening = false;
    }
}
