package dev.researchmon.sidecar.gpu.nvml;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * NVML's GPU Performance Monitoring (R520 and later drivers, Hopper and later GPUs): bound apart
 * from {@link NvmlFunctions} because older drivers lack these symbols, and a direct mapping fails
 * as a whole when one symbol is missing. {@link NvmlLibrary#gpm()} is empty on such a driver.
 *
 * <pre>{@code
 * library.gpm().ifPresent(gpm -> gpm.nvmlGpmSampleGet(device, sample));
 * }</pre>
 */
public interface NvmlGpmFunctions {
    int nvmlGpmQueryDeviceSupport(Pointer device, NvmlTypes.GpmSupport gpmSupport);

    int nvmlGpmSampleAlloc(PointerByReference gpmSample);

    int nvmlGpmSampleFree(Pointer gpmSample);

    int nvmlGpmSampleGet(Pointer device, Pointer gpmSample);

    int nvmlGpmMigSampleGet(Pointer device, int gpuInstanceId, Pointer gpmSample);

    /** {@code metricsGet} is an nvmlGpmMetricsGet_t laid out by the caller. */
    int nvmlGpmMetricsGet(Pointer metricsGet);
}
