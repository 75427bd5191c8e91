package dev.researchmon.sidecar.gpu.nvml;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** {@link NvmlEventFunctions} by direct mapping; bound per library by {@link NvmlLibrary}, as {@link NvmlFunctionsDirect}. */
public final class NvmlEventFunctionsDirect implements NvmlEventFunctions {
    @Override
    public native int nvmlEventSetCreate(PointerByReference set);

    @Override
    public native int nvmlDeviceRegisterEvents(Pointer device, long eventTypes, Pointer set);

    @Override
    public native int nvmlEventSetWait_v2(Pointer set, NvmlTypes.EventData data, int timeoutms);

    @Override
    public native int nvmlEventSetFree(Pointer set);
}
