package dev.researchmon.magics.monitor;

import dev.researchmon.report.ReportAck;
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
 * {@code interval}, and after each cell ({@link #nudge()}): at once when the last report is at least
 * {@code minGap} old, else when it will be, so that a burst of quick cells costs one report per
 * {@code minGap} rather than one per cell. A cell never waits for it and its failures are counted in
 * {@link #status()}, never thrown at the user.
 *
 * <pre>{@code
 * Reporter r = new Reporter(source, sink, Duration.ofSeconds(5), Duration.ofSeconds(1), Clock.systemUTC());
 * r.start();
 * r.nudge();          // after a cell: a report goes out now, or within a second of the last one
 * r.stop();           // stops the thread, sends a last report, asks the sidecar to forget this kernel
 * }</pre>
 *
 * <p>When the kernel exits while reporting (shutdown, restart, nbconvert's end of notebook), a
 * shutdown hook sends one last report, so the values of the last cells are not lost to the
 * {@code minGap} wait; the sidecar keeps a dead kernel's last report for one more scrape.
 */
public final class Reporter {

    private final Supplier<MetricSnapshots> source;
    private final ReportSink sink;
    private final Duration interval;
    private final long minGapNanos;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final AtomicBoolean lastSent = new AtomicBoolean();
    private final AtomicReference<ReporterStatus> status = new AtomicReference<>(ReporterStatus.NONE);
    /** Touched only by the scheduler thread. */
    private long sequence;
    /** When the last report started (System.nanoTime), read by {@link #nudge()} to place the next. */
    private volatile long lastReportNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    private final Thread finalReportOnExit = new Thread(this::finalReport, "research-monitor-final-report");

    public Reporter(
            Supplier<MetricSnapshots> source, ReportSink sink, Duration interval, Duration minGap, Clock clock) {
        this.source = source;
        this.sink = sink;
        this.interval = interval;
        this.minGapNanos = minGap.toNanos();
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
        Runtime.getRuntime().addShutdownHook(finalReportOnExit);
    }

    /** Asks for a report soon; cheap and non-blocking, safe to call from the cell's thread. */
    public void nudge() {
        if (nudged.compareAndSet(false, true)) {
            try {
                long delay = Math.max(0, lastReportNanos + minGapNanos - System.nanoTime());
                scheduler.schedule(
                        () -> {
                            nudged.set(false);
                            reportOnce();
                        },
                        delay,
                        TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                nudged.set(false);
            }
        }
    }

    public ReporterStatus status() {
        return status.get();
    }

    /**
     * Stops reporting, waits for a report in flight, sends one last report (what the cells since the
     * last one recorded is not lost: the sidecar keeps a removed kernel's final values for a
     * scrape), then asks the sidecar to forget this kernel.
     *
     * @throws Exception from {@link ReportSink#forget()}: the caller tells the user
     */
    public void stop() throws Exception {
        try {
            Runtime.getRuntime().removeShutdownHook(finalReportOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is already exiting: the hook runs anyway, and the forget below follows it
        }
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        sendLast();
        sink.forget();
    }

    /**
     * Stops the schedule and sends one report from the calling thread, bounded by the sink's own
     * timeouts. Run by the shutdown hook; package-private for tests.
     */
    void finalReport() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        sendLast();
    }

    /** The last report, once: by {@code %monitoring off} or by the exit hook, whichever comes first. */
    private void sendLast() {
        if (lastSent.compareAndSet(false, true)) {
            reportOnce();
        }
    }

    private void reportOnce() {
        lastReportNanos = System.nanoTime();
        try {
            ReportAck ack = sink.send(source.get(), ++sequence);
            status.updateAndGet(s -> s.succeeded(clock.instant(), ack));
        } catch (Exception | LinkageError e) {
            // Includes a notebook's own metric callback failing during the scrape.
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            status.updateAndGet(s -> s.failed(message));
        }
    }
}
