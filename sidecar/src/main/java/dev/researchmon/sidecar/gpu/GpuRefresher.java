package dev.researchmon.sidecar.gpu;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the GPUs on its own thread at a fixed delay and publishes each outcome as an immutable
 * {@link GpuState}, so a scrape never waits on a driver call; a stuck call only makes the state
 * older. Opens the reader lazily and again after a failure, so a driver loaded later is found: at
 * the next pass after a driver that failed, but only every {@link #LIBRARY_RETRY} where no NVML
 * library loads at all. Looking for a library that is not there took ~3.5 ms of CPU a pass, the
 * largest part of an idle sidecar's CPU on a machine without a GPU; the XID watcher already waits
 * as long between its tries.
 *
 * <pre>{@code
 * GpuRefresher refresher = new GpuRefresher(() -> NvmlGpuReader.open(lib), Duration.ofSeconds(2));
 * refresher.start();
 * GpuState now = refresher.current();
 * }</pre>
 */
public final class GpuRefresher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GpuRefresher.class.getName());

    /** Opens a reader; {@link NvmlGpuReader#open} in production. */
    @FunctionalInterface
    public interface ReaderFactory {
        GpuReader open() throws GpuUnavailableException;
    }

    /** How long a missing NVML library is not looked for again (the XID watcher's retry too). */
    public static final Duration LIBRARY_RETRY = Duration.ofSeconds(30);

    private final ReaderFactory factory;
    private final Duration interval;
    private final long libraryRetryNanos;
    private final AtomicReference<GpuState> state = new AtomicReference<>(GpuState.notYetRead());
    private final CountDownLatch firstRefresh = new CountDownLatch(1);
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gpu-refresher");
        t.setDaemon(true);
        return t;
    });
    /** Shares each pass's energy between notebooks; on this thread, so no NVML call waits for a lock. */
    private final EnergyLedger ledger;

    private GpuReader reader; // touched only by the refresher thread
    private NotebookEnergy energy = NotebookEnergy.NONE; // kept when a pass fails
    private String lastLoggedReason;
    /** No library loaded: why, and when (System.nanoTime) to look again; touched only by the refresher thread. */
    private String libraryMissing;

    private long lookAgainNanos;

    public GpuRefresher(ReaderFactory factory, Duration interval) {
        this(factory, interval, null);
    }

    /** With notebook energy accounting by {@code ledger} after each successful pass ({@code null}: none). */
    public GpuRefresher(ReaderFactory factory, Duration interval, EnergyLedger ledger) {
        this(factory, interval, ledger, LIBRARY_RETRY);
    }

    /** With {@code libraryRetry} between two looks for a missing library; for tests. */
    GpuRefresher(ReaderFactory factory, Duration interval, EnergyLedger ledger, Duration libraryRetry) {
        this.factory = Objects.requireNonNull(factory);
        this.interval = interval;
        this.ledger = ledger;
        this.libraryRetryNanos = libraryRetry.toNanos();
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the first refresh finished (or the timeout passed); true if it did. */
    public boolean awaitFirstRefresh(Duration timeout) throws InterruptedException {
        return firstRefresh.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public GpuState current() {
        return state.get();
    }

    public Duration interval() {
        return interval;
    }

    private void refresh() {
        long start = System.nanoTime();
        GpuReading reading = null;
        String reason = null;
        try {
            if (reader == null) {
                reader = open(start);
            }
            reading = reader.read();
            if (reading.devices().isEmpty()) {
                reason = "NVML reports no GPU";
            }
        } catch (GpuUnavailableException e) {
            reason = e.getMessage();
            closeReader();
        } catch (RuntimeException | LinkageError e) {
            reason = "NVML call failed: " + e;
            closeReader();
        }
        long read = System.nanoTime();
        if (reason == null && ledger != null) {
            try {
                energy = ledger.record(reading, read);
            } catch (RuntimeException e) {
                // an exception would end the scheduled refreshes: the GPU series matter more than the shares
                LOG.log(System.Logger.Level.WARNING, "GPU collector: energy accounting failed: " + e);
            }
        }
        long end = System.nanoTime();
        state.set(new GpuState(reason == null ? reading : null, reason, end, (end - start) / 1e9, energy));
        logOnChange(reason);
        firstRefresh.countDown();
    }

    /** A reader, or why there is none; a missing library is looked for again only after the retry time. */
    private GpuReader open(long now) throws GpuUnavailableException {
        if (libraryMissing != null && now - lookAgainNanos < 0) {
            throw new GpuUnavailableException(libraryMissing);
        }
        try {
            GpuReader opened = factory.open();
            libraryMissing = null;
            return opened;
        } catch (NvmlLibraryMissingException e) {
            libraryMissing = e.getMessage();
            lookAgainNanos = now + libraryRetryNanos;
            throw e;
        } catch (GpuUnavailableException e) {
            libraryMissing = null; // a library loads: what fails now is retried each pass
            throw e;
        }
    }

    /** Says once that the GPUs are unavailable (and why), and once when they come back. */
    private void logOnChange(String reason) {
        if (Objects.equals(reason, lastLoggedReason)) {
            return;
        }
        if (reason != null) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "GPU collector: no GPU metrics: " + reason + " (the other collectors keep running)");
        } else if (lastLoggedReason != null) {
            LOG.log(System.Logger.Level.INFO, "GPU collector: NVML available again");
        }
        lastLoggedReason = reason;
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (RuntimeException | LinkageError ignored) {
                // a broken driver may fail to shut down too; we drop it either way
            }
            reader = null;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeReader();
    }
}
