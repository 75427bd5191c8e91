package dev.researchmon.sidecar.gpu.nvml;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** {@link NvmlGpmFunctions} by direct mapping; bound per library by {@link NvmlLibrary}, as {@link NvmlFunctionsDirect}. */
public final class NvmlGpmFunctionsDirect implements NvmlGpmFunctions {
    @Override
    public native int nvmlGpmQueryDeviceSupport(Pointer device, NvmlTypes.GpmSupport gpmSupport);

    @Override
    public native int nvmlGpmSampleAlloc(PointerByReference gpmSample);

    @Override
    public native int nvmlGpmSampleFree(Pointer gpmSample);

    @Override
    public native int nvmlGpmSampleGet(Pointer device, Pointer gpmSample);

    @Override
    public native int nvmlGpmMigSampleGet(Pointer device, int gpuInstanceId, Pointer gpmSample);

    @Override
    public native int nvmlGpmMetricsGet(Pointer metricsGet);
}
