package dev.researchmon.sidecar.gpu;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits for XID events on a daemon thread of its own, since a wait blocks in the driver, and
 * publishes the counts as an immutable {@link XidCounts} for scrapes to read. A source that cannot
 * be opened (no driver, an NVML without the event API) is tried again after {@code retry}; the
 * other GPU metrics do not depend on it.
 *
 * <pre>{@code
 * XidWatcher xids = new XidWatcher(() -> NvmlXidEvents.open(lib), Duration.ofSeconds(30));
 * xids.start();
 * XidCounts now = xids.current();
 * }</pre>
 */
public final class XidWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(XidWatcher.class.getName());
    /** Bounds how long a stop waits for a wait in the driver to return. */
    static final int WAIT_MILLIS = 1000;

    /** Opens an event source; {@link NvmlXidEvents#open} in production. */
    @FunctionalInterface
    public interface SourceFactory {
        XidEventSource open() throws GpuUnavailableException;
    }

    private final SourceFactory factory;
    private final Duration retry;
    private final AtomicReference<XidCounts> counts = new AtomicReference<>(XidCounts.EMPTY);
    private final Thread thread;
    private volatile boolean running = true;
    private String lastLoggedReason; // touched only by the watcher thread

    public XidWatcher(SourceFactory factory, Duration retry) {
        this.factory = Objects.requireNonNull(factory);
        this.retry = retry;
        this.thread = new Thread(this::run, "gpu-xid-events");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public XidCounts current() {
        return counts.get();
    }

    private void run() {
        XidEventSource source = null;
        try {
            while (running) {
                try {
                    if (source == null) {
                        source = factory.open();
                        logOnChange(null);
                    }
                    Optional<XidEvent> event = source.next(WAIT_MILLIS);
                    event.ifPresent(e -> counts.updateAndGet(c -> c.plus(e)));
                } catch (GpuUnavailableException | RuntimeException | LinkageError e) {
                    logOnChange(e.getMessage());
                    close(source);
                    source = null;
                    Thread.sleep(retry.toMillis());
                }
            }
        } catch (InterruptedException stopping) {
            // close() interrupts a retry sleep; the counts stay as they are
        } finally {
            close(source);
        }
    }

    private void logOnChange(String reason) {
        if (Objects.equals(reason, lastLoggedReason)) {
            return;
        }
        if (reason != null) {
            LOG.log(System.Logger.Level.WARNING, "GPU collector: no XID events: " + reason);
        } else if (lastLoggedReason != null) {
            LOG.log(System.Logger.Level.INFO, "GPU collector: XID events available again");
        }
        lastLoggedReason = reason;
    }

    private static void close(XidEventSource source) {
        if (source != null) {
            try {
                source.close();
            } catch (RuntimeException | LinkageError ignored) {
                // a broken driver may fail to free the set too; we drop it either way
            }
        }
    }

    /** Stops the thread; the source is closed on that thread, after its last wait returned. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(WAIT_MILLIS + 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
