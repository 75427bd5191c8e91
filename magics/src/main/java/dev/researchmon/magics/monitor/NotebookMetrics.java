package dev.researchmon.magics.monitor;

import dev.researchmon.magics.api.CellListener;
import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.cost.CellCost;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;

/**
 * The kernel's built-in notebook metrics, in a registry of their own so that a notebook calling
 * {@code PrometheusRegistry.defaultRegistry.clear()} cannot remove them.
 *
 * <pre>{@code
 * NotebookMetrics metrics = new NotebookMetrics(Clock.systemUTC());
 * ctx.addCellListener(metrics);               // counts and times every cell from now on
 * metrics.registry().scrape();                // what the reporter sends
 * }</pre>
 */
public final class NotebookMetrics implements CellListener {

    /** Cell durations from a quick print to a long training run. */
    static final double[] CELL_BUCKETS = {
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Clock clock;
    private final Counter cells;
    private final Histogram cellDuration;
    private final Gauge lastActivity;
    private final Histogram cellCpu;
    private final Histogram cellAllocated;
    private final Histogram cellGc;

    /** From a print's few kilobytes to a data set loaded whole. */
    static final double[] BYTES_BUCKETS = {1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11};
    /** No pause at all (most cells) up to a full collection of a large heap. */
    static final double[] GC_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30};

    public NotebookMetrics(Clock clock) {
        this.clock = clock;
        cells = Counter.builder()
                .name("notebook_cells_executed_total")
                .help("Cells executed by this kernel, by how they ended (ok, error, interrupted)")
                .labelNames("status")
                .register(registry);
        for (CellOutcome outcome : CellOutcome.values()) {
            // Present from the start, so that rate() sees the first error as an increase.
            cells.initLabelValues(outcome.label());
        }
        cellDuration = Histogram.builder()
                .name("notebook_cell_duration_seconds")
                .help("Wall-clock time of each executed cell")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(CELL_BUCKETS)
                .register(registry);
        // per notebook, not per cell: a label per cell would grow without bound
        cellCpu = Histogram.builder()
                .name("notebook_cell_cpu_seconds")
                .help("CPU time of the threads that ran each cell")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(CELL_BUCKETS)
                .register(registry);
        cellAllocated = Histogram.builder()
                .name("notebook_cell_allocated_bytes")
                .help("Heap bytes the threads that ran each cell allocated")
                .unit(Unit.BYTES)
                .classicOnly()
                .classicUpperBounds(BYTES_BUCKETS)
                .register(registry);
        cellGc = Histogram.builder()
                .name("notebook_cell_gc_seconds")
                .help("Garbage-collection pauses (the whole JVM) while each cell ran")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(GC_BUCKETS)
                .register(registry);
        lastActivity = Gauge.builder()
                .name("notebook_last_activity_timestamp_seconds")
                .help("Unix time when the last cell finished")
                .register(registry);
        lastActivity.set(nowSeconds());
        registerProcessMetrics();
    }

    private void registerProcessMetrics() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        CounterWithCallback.builder()
                .name("notebook_kernel_cpu_seconds_total")
                .help("CPU time used by the kernel process, user and system")
                .callback(cb -> {
                    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                        long nanos = sun.getProcessCpuTime();
                        if (nanos >= 0) {
                            cb.call(nanos / 1e9);
                        }
                    }
                })
                .register(registry);
        var memory = ManagementFactory.getMemoryMXBean();
        GaugeWithCallback.builder()
                .name("notebook_kernel_heap_bytes")
                .help("Java heap in use by the kernel")
                .unit(Unit.BYTES)
                .callback(cb -> cb.call(memory.getHeapMemoryUsage().getUsed()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("notebook_kernel_resident_memory_bytes")
                .help("Resident set size of the kernel process")
                .unit(Unit.BYTES)
                .callback(cb -> ProcessMemory.residentBytes().ifPresent(cb::call))
                .register(registry);
        var runtime = ManagementFactory.getRuntimeMXBean();
        GaugeWithCallback.builder()
                .name("notebook_kernel_uptime_seconds")
                .help("Time since the kernel process started")
                .unit(Unit.SECONDS)
                .callback(cb -> cb.call(runtime.getUptime() / 1000.0))
                .register(registry);
    }

    /** The registry holding these metrics (and the {@code %%timed} histograms). */
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void cellFinished(int executionCount, CellOutcome outcome, Duration duration) {
        cells.labelValues(outcome.label()).inc();
        cellDuration.observe(duration.toNanos() / 1e9);
        lastActivity.set(nowSeconds());
    }

    /** A cell with what its threads and the JVM spent: the duration and the cost histograms. */
    public void cellFinished(CellCost cost) {
        cellFinished(cost.executionCount(), cost.outcome(), cost.wall());
        if (cost.cpuNanos() >= 0) {
            cellCpu.observe(cost.cpuNanos() / 1e9);
        }
        if (cost.allocatedBytes() >= 0) {
            cellAllocated.observe(cost.allocatedBytes());
        }
        cellGc.observe(cost.gcNanos() / 1e9);
    }

    private double nowSeconds() {
        return clock.millis() / 1000.0;
    }
}
