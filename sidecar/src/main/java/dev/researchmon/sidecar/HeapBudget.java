package dev.researchmon.sidecar;

import dev.researchmon.sidecar.http.ReportEndpoint;
import dev.researchmon.sidecar.http.ScrapeHandler;
import dev.researchmon.sidecar.notebook.ReportLimits;

/**
 * The heap a set of limits needs at worst, so that the sidecar refuses to start with limits its
 * heap cannot hold instead of running out of memory later, and so that the default bound on
 * exposition bytes is what the heap holds. The figures are measured on the launcher's JVM (README,
 * "Memory"), each rounded up.
 *
 * <pre>{@code
 * long need = HeapBudget.bytesNeeded(limits);         // compare with Runtime.maxMemory()
 * long bytes = HeapBudget.maxExpositionBytesFor(maxHeap, limits);
 * }</pre>
 */
public final class HeapBudget {
    /** The sidecar with nothing held: classes' heap objects, JVM metrics, buffers (3.5 MB measured). */
    static final long BASE_BYTES = 8L << 20;
    /** Objects of one held series besides its label text (180 to 230 bytes measured). */
    static final long PER_SERIES_BYTES = 256;
    /** A report being decoded: its body and its decoded form, per body byte (about 3 measured). */
    static final long PER_REPORT_BODY_BYTE = 5;
    /** A protobuf scrape builds one family's message whole: per series of it (about 120 measured). */
    static final long PER_SERIES_SCRAPED_BYTES = 160;
    /** The collector needs room to work: only this share of the heap is planned for. */
    static final double USABLE_SHARE = 0.8;
    /** Past this a scrape is too large for a 15 s interval anyway, whatever the heap. */
    public static final long MAX_DEFAULT_EXPOSITION_BYTES = 16L << 20;

    private HeapBudget() {}

    /** Heap these limits need at worst: everything held, and reports and scrapes in flight. */
    public static long bytesNeeded(ReportLimits limits) {
        return (long) ((fixedBytes(limits) + limits.maxExpositionBytes()) / USABLE_SHARE);
    }

    /**
     * The exposition bound that a heap of {@code maxHeapBytes} holds with the other limits, at most
     * {@link #MAX_DEFAULT_EXPOSITION_BYTES}; zero or less when even the other limits do not fit.
     */
    public static long maxExpositionBytesFor(long maxHeapBytes, ReportLimits limits) {
        long fits = (long) (maxHeapBytes * USABLE_SHARE) - fixedBytes(limits);
        return Math.min(MAX_DEFAULT_EXPOSITION_BYTES, fits);
    }

    /** Everything but the label text held: base, series objects, reports and scrapes in flight. */
    private static long fixedBytes(ReportLimits limits) {
        return BASE_BYTES
                + PER_SERIES_BYTES * limits.maxSeriesTotal()
                + ReportEndpoint.CONCURRENT_REPORTS * PER_REPORT_BODY_BYTE * limits.maxBodyBytes()
                + ScrapeHandler.CONCURRENT_SCRAPES * PER_SERIES_SCRAPED_BYTES * limits.maxSeriesTotal();
    }
}
