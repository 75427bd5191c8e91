package dev.researchmon.sidecar.gpu.nvml;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * NVML's event API, for XID critical errors: a set collects the events of the devices registered
 * in it; a wait blocks in the driver up to {@code timeoutms}, so callers wait on a thread of their
 * own, never on the scrape path. Devices that cannot deliver events answer NOT_SUPPORTED to the
 * registration. Bound apart from {@link NvmlFunctions} so that a library without it still serves
 * the GPU reader; {@link NvmlLibrary#events()} is empty there.
 *
 * <pre>{@code
 * PointerByReference set = new PointerByReference();
 * events.nvmlEventSetCreate(set);
 * }</pre>
 */
public interface NvmlEventFunctions {
    int nvmlEventSetCreate(PointerByReference set);

    int nvmlDeviceRegisterEvents(Pointer device, long eventTypes, Pointer set);

    int nvmlEventSetWait_v2(Pointer set, NvmlTypes.EventData data, int timeoutms);

    int nvmlEventSetFree(Pointer set);
}
