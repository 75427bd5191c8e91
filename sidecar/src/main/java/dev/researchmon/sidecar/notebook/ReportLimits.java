package dev.researchmon.sidecar.notebook;

import java.time.Duration;

/**
 * The bounds that keep reports from growing the sidecar's memory: what is over them is dropped and
 * counted in {@code sidecar_report_series_dropped_total{reason}}.
 *
 * <pre>{@code
 * ReportLimits limits = ReportLimits.DEFAULTS.withMaxSeriesPerKernel(500);
 * }</pre>
 *
 * @param maxBodyBytes largest report body accepted (larger: 413)
 * @param maxSeriesPerKernel series (label sets) kept per kernel
 * @param maxSeriesTotal series kept over all kernels
 * @param maxLabelValueLength longest label name or value; a series with a longer one is dropped
 * @param maxKernels kernels tracked at once; reports of further kernels are dropped whole
 * @param kernelTtl a kernel that has not reported for this long is forgotten
 * @param maxExpositionBytes bytes that all kept series together may cost on {@code /metrics}
 *     ({@link ExpositionCost}); series past it are dropped as {@link DropReason#EXPOSITION_BYTES}
 * @param keepGone how long a kernel that is gone (process exited, or {@code DELETE}) keeps its last
 *     values on {@code /metrics}, so that every scraper reads them once; zero removes it at once
 */
public record ReportLimits(
        long maxBodyBytes,
        int maxSeriesPerKernel,
        int maxSeriesTotal,
        int maxLabelValueLength,
        int maxKernels,
        Duration kernelTtl,
        long maxExpositionBytes,
        Duration keepGone) {

    /** Prometheus's default scrape interval, and the project's. */
    public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(15);

    public static final ReportLimits DEFAULTS = new ReportLimits(
            1 << 20, 2000, 50_000, 256, 500, Duration.ofSeconds(30), 16L << 20, keepGoneFor(DEFAULT_SCRAPE_INTERVAL));

    public ReportLimits {
        if (maxBodyBytes <= 0
                || maxSeriesPerKernel <= 0
                || maxSeriesTotal <= 0
                || maxLabelValueLength <= 0
                || maxKernels <= 0
                || kernelTtl.isNegative()
                || kernelTtl.isZero()
                || maxExpositionBytes <= 0
                || keepGone.isNegative()) {
            throw new IllegalArgumentException("report limits must be positive: " + this);
        }
    }

    /**
     * How long a gone kernel stays so that a scraper with this interval reads it at least once: a
     * whole interval, plus a margin for the scrape's own latency and its start's jitter.
     */
    public static Duration keepGoneFor(Duration longestScrapeInterval) {
        Duration margin = longestScrapeInterval.dividedBy(3);
        if (margin.compareTo(Duration.ofSeconds(5)) > 0) {
            margin = Duration.ofSeconds(5);
        }
        return longestScrapeInterval.plus(margin);
    }

    public ReportLimits withMaxBodyBytes(long v) {
        return new ReportLimits(
                v,
                maxSeriesPerKernel,
                maxSeriesTotal,
                maxLabelValueLength,
                maxKernels,
                kernelTtl,
                maxExpositionBytes,
                keepGone);
    }

    public ReportLimits withMaxSeriesPerKernel(int v) {
        return new ReportLimits(
                maxBodyBytes,
                v,
                maxSeriesTotal,
                maxLabelValueLength,
                maxKernels,
                kernelTtl,
                maxExpositionBytes,
                keepGone);
    }

    public ReportLimits withMaxSeriesTotal(int v) {
        return new ReportLimits(
                maxBodyBytes,
                maxSeriesPerKernel,
                v,
                maxLabelValueLength,
                maxKernels,
                kernelTtl,
                maxExpositionBytes,
                keepGone);
    }

    public ReportLimits withMaxLabelValueLength(int v) {
        return new ReportLimits(
                maxBodyBytes,
                maxSeriesPerKernel,
                maxSeriesTotal,
                v,
                maxKernels,
                kernelTtl,
                maxExpositionBytes,
                keepGone);
    }

    public ReportLimits withMaxKernels(int v) {
        return new ReportLimits(
                maxBodyBytes,
                maxSeriesPerKernel,
                maxSeriesTotal,
                maxLabelValueLength,
                v,
                kernelTtl,
                maxExpositionBytes,
                keepGone);
    }

    public ReportLimits withKernelTtl(Duration v) {
        return new ReportLimits(
                maxBodyBytes,
                maxSeriesPerKernel,
                maxSeriesTotal,
                maxLabelValueLength,
                maxKernels,
                v,
                maxExpositionBytes,
                keepGone);
    }

    public ReportLimits withMaxExpositionBytes(long v) {
        return new ReportLimits(
                maxBodyBytes,
                maxSeriesPerKernel,
                maxSeriesTotal,
                maxLabelValueLength,
                maxKernels,
                kernelTtl,
                v,
                keepGone);
    }

    public ReportLimits withKeepGone(Duration v) {
        return new ReportLimits(
                maxBodyBytes,
                maxSeriesPerKernel,
                maxSeriesTotal,
                maxLabelValueLength,
                maxKernels,
                kernelTtl,
                maxExpositionBytes,
                v);
    }
}
