package dev.researchmon.magics.monitor;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Sends the kernel's metrics to the sidecar on a daemon thread of its own: every
 * {@code interval}, and shortly after each cell ({@link #nudge()}, coalesced). A cell never waits
 * for it and its failures are counted in {@link #status()}, never thrown at the user.
 *
 * <pre>{@code
 * Reporter r = new Reporter(source, sink, Duration.ofSeconds(5), Duration.ofMillis(100), Clock.systemUTC());
 * r.start();
 * r.nudge();          // after a cell: a report goes out within ~100 ms
 * r.stop();           // stops the thread and asks the sidecar to forget this kernel
 * }</pre>
 */
public final class Reporter {

    private final Supplier<MetricSnapshots> source;
    private final ReportSink sink;
    private final Duration interval;
    private final Duration coalesce;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final AtomicReference<ReporterStatus> status = new AtomicReference<>(ReporterStatus.NONE);
    /** Touched only by the scheduler thread. */
    private long sequence;

    public Reporter(Supplier<MetricSnapshots> source, ReportSink sink, Duration interval, Duration coalesce,
                    Clock clock) {
        this.source = source;
        this.sink = sink;
        this.interval = interval;
        this.coalesce = coalesce;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "research-monitor-reporter");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts reporting: one report now, then every interval. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::reportOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a report soon; cheap and non-blocking, safe to call from the cell's thread. */
    public void nudge() {
        if (nudged.compareAndSet(false, true)) {
            try {
                scheduler.schedule(() -> {
                    nudged.set(false);
                    reportOnce();
                }, coalesce.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                nudged.set(false);
            }
        }
    }

    public ReporterStatus status() {
        return status.get();
    }

    /**
     * Stops reporting, waits for a report in flight, then asks the sidecar to forget this kernel.
     *
     * @throws Exception from {@link ReportSink#forget()}: the caller tells the user
     */
    public void stop() throws Exception {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        sink.forget();
    }

    private void reportOnce() {
        try {
            sink.send(source.get(), ++sequence);
            status.updateAndGet(s -> s.succeeded(clock.instant()));
        } catch (Exception | LinkageError e) {
            // Includes a notebook's own metric callback failing during the scrape.
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            status.updateAndGet(s -> s.failed(message));
        }
    }
}
