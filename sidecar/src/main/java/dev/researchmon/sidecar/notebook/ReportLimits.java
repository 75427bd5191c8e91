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
 */
public record ReportLimits(long maxBodyBytes, int maxSeriesPerKernel, int maxSeriesTotal,
    int maxLabelValueLength, int maxKernels, Duration kernelTtl) {

  public static final ReportLimits DEFAULTS =
      new ReportLimits(1 << 20, 2000, 50_000, 256, 500, Duration.ofSeconds(30));

  public ReportLimits {
    if (maxBodyBytes <= 0 || maxSeriesPerKernel <= 0 || maxSeriesTotal <= 0
        || maxLabelValueLength <= 0 || maxKernels <= 0 || kernelTtl.isNegative() || kernelTtl.isZero()) {
      throw new IllegalArgumentException("report limits must be positive: " + this);
    }
  }

  public ReportLimits withMaxBodyBytes(long v) {
    return new ReportLimits(v, maxSeriesPerKernel, maxSeriesTotal, maxLabelValueLength, maxKernels, kernelTtl);
  }

  public ReportLimits withMaxSeriesPerKernel(int v) {
    return new ReportLimits(maxBodyBytes, v, maxSeriesTotal, maxLabelValueLength, maxKernels, kernelTtl);
  }

  public ReportLimits withMaxSeriesTotal(int v) {
    return new ReportLimits(maxBodyBytes, maxSeriesPerKernel, v, maxLabelValueLength, maxKernels, kernelTtl);
  }

  public ReportLimits withMaxLabelValueLength(int v) {
    return new ReportLimits(maxBodyBytes, maxSeriesPerKernel, maxSeriesTotal, v, maxKernels, kernelTtl);
  }

  public ReportLimits withKernelTtl(Duration v) {
    return new ReportLimits(maxBodyBytes, maxSeriesPerKernel, maxSeriesTotal, maxLabelValueLength, maxKernels, v);
  }
}
