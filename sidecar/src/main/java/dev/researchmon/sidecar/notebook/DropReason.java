package dev.researchmon.sidecar.notebook;

/** Why reported series were not kept; the {@code reason} label of the drop counter. */
public enum DropReason {
    /** The kernel already has {@link ReportLimits#maxSeriesPerKernel()} series. */
    SERIES_PER_KERNEL,
    /** All kernels together already have {@link ReportLimits#maxSeriesTotal()} series. */
    SERIES_TOTAL,
    /** A label name or value is longer than {@link ReportLimits#maxLabelValueLength()}. */
    LABEL_TOO_LONG,
    /** client_java refused the family (bad name, duplicate series, negative counter, ...). */
    INVALID,
    /** The name belongs to the sidecar's own families ({@code gpu_}, {@code sidecar_}, ...). */
    RESERVED_NAME,
    /** An older report (lower sequence) arrived after a newer one from the same process. */
    STALE,
    /** {@link ReportLimits#maxKernels()} kernels are already tracked. */
    TOO_MANY_KERNELS,
    /** Keeping it would make {@code /metrics} larger than {@link ReportLimits#maxExpositionBytes()}. */
    EXPOSITION_BYTES;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
