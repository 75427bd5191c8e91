package dev.researchmon.sidecar.gpu;

import java.util.Optional;

/**
 * Delivers XID events one at a time, blocking in the driver; the only implementation that touches
 * native code is {@link NvmlXidEvents}. Not thread-safe: one watcher thread calls it, and closes it.
 *
 * <pre>{@code
 * try (XidEventSource events = NvmlXidEvents.open(Optional.empty())) {
 *   Optional<XidEvent> next = events.next(1000);
 * }
 * }</pre>
 */
public interface XidEventSource extends AutoCloseable {
    /** Waits up to {@code timeoutMillis} for the next event; empty when none came. */
    Optional<XidEvent> next(int timeoutMillis) throws GpuUnavailableException;

    @Override
    void close();
}
