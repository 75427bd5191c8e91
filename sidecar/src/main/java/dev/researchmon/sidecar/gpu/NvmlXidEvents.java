package dev.researchmon.sidecar.gpu;

import static dev.researchmon.sidecar.gpu.nvml.NvmlTypes.EVENT_TYPE_XID_CRITICAL_ERROR;
import static dev.researchmon.sidecar.gpu.nvml.NvmlTypes.SUCCESS;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.researchmon.sidecar.gpu.nvml.NvmlEventFunctions;
import dev.researchmon.sidecar.gpu.nvml.NvmlFunctions;
import dev.researchmon.sidecar.gpu.nvml.NvmlLibrary;
import dev.researchmon.sidecar.gpu.nvml.NvmlTypes;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link XidEventSource} over NVML's event API ({@link NvmlEventFunctions}: an event set, every GPU
 * registered for nvmlEventTypeXidCriticalError, waits). It holds its own NVML reference (nvmlInit
 * is reference-counted), so the refresher may reopen its reader meanwhile. GPUs that cannot deliver
 * events (NOT_SUPPORTED) are simply not registered.
 *
 * <pre>{@code
 * try (XidEventSource events = NvmlXidEvents.open(Optional.empty())) {
 *   events.next(1000).ifPresent(e -> System.out.println("XID " + e.xid() + " on GPU " + e.gpu()));
 * }
 * }</pre>
 */
public final class NvmlXidEvents implements XidEventSource {
    private final NvmlFunctions nvml;
    private final NvmlEventFunctions events;
    private final Pointer set;
    private final Map<Pointer, XidCounts.Device> devices;
    private final NvmlTypes.EventData data = new NvmlTypes.EventData();
    private boolean closed;

    private NvmlXidEvents(
            NvmlFunctions nvml, NvmlEventFunctions events, Pointer set, Map<Pointer, XidCounts.Device> devices) {
        this.nvml = nvml;
        this.events = events;
        this.set = set;
        this.devices = devices;
    }

    /**
     * Loads and initialises NVML, creates an event set and registers every GPU that supports XID
     * events in it.
     *
     * @throws GpuUnavailableException when NVML is missing, does not initialise, or lacks the event API
     */
    public static NvmlXidEvents open(Optional<Path> library) throws GpuUnavailableException {
        NvmlLibrary loaded = NvmlLibrary.load(library);
        // The event API first: a library without it needs nothing else from us.
        NvmlEventFunctions events = loaded.events()
                .orElseThrow(() ->
                        new GpuUnavailableException("this NVML has no event API (driver too old?): " + loaded.name()));
        NvmlFunctions nvml = loaded.functions();
        int rc = nvml.nvmlInit_v2();
        if (rc != SUCCESS) {
            throw new GpuUnavailableException("nvmlInit_v2 failed: " + loaded.describe(rc));
        }
        Pointer set = null;
        try {
            PointerByReference setRef = new PointerByReference();
            rc = events.nvmlEventSetCreate(setRef);
            if (rc != SUCCESS) {
                throw new GpuUnavailableException("nvmlEventSetCreate failed: " + loaded.describe(rc));
            }
            set = setRef.getValue();
            return new NvmlXidEvents(nvml, events, set, Map.copyOf(register(nvml, events, set)));
        } catch (GpuUnavailableException | RuntimeException e) {
            shutdown(nvml, events, set);
            throw e;
        }
    }

    private static Map<Pointer, XidCounts.Device> register(NvmlFunctions nvml, NvmlEventFunctions events, Pointer set)
            throws GpuUnavailableException {
        int[] count = new int[1];
        int rc = nvml.nvmlDeviceGetCount_v2(count);
        if (rc != SUCCESS) {
            throw new GpuUnavailableException("nvmlDeviceGetCount_v2 failed with code " + rc);
        }
        Map<Pointer, XidCounts.Device> devices = new HashMap<>();
        for (int i = 0; i < count[0]; i++) {
            PointerByReference handle = new PointerByReference();
            if (nvml.nvmlDeviceGetHandleByIndex_v2(i, handle) != SUCCESS) {
                continue;
            }
            Pointer device = handle.getValue();
            // NOT_SUPPORTED is normal (e.g. GPUs before Fermi, some vGPUs): that GPU has no XID series.
            if (events.nvmlDeviceRegisterEvents(device, EVENT_TYPE_XID_CRITICAL_ERROR, set) == SUCCESS) {
                devices.put(
                        device,
                        new XidCounts.Device(
                                i,
                                NvmlLibrary.string((b, n) -> nvml.nvmlDeviceGetUUID(device, b, n)),
                                NvmlLibrary.string((b, n) -> nvml.nvmlDeviceGetName(device, b, n))));
            }
        }
        return devices;
    }

    @Override
    public Optional<XidEvent> next(int timeoutMillis) throws GpuUnavailableException {
        if (closed) {
            throw new GpuUnavailableException("XID event source is closed");
        }
        int rc = events.nvmlEventSetWait_v2(set, data, timeoutMillis);
        if (rc == NvmlTypes.ERROR_TIMEOUT) {
            return Optional.empty();
        }
        if (rc != SUCCESS) {
            throw new GpuUnavailableException("nvmlEventSetWait_v2 failed with code " + rc);
        }
        data.read();
        XidCounts.Device device = devices.get(data.device);
        if (device == null || (data.eventType & EVENT_TYPE_XID_CRITICAL_ERROR) == 0) {
            return Optional.empty(); // not an event this set asked for
        }
        return Optional.of(new XidEvent(device.gpu(), device.uuid(), device.name(), data.eventData));
    }

    private static void shutdown(NvmlFunctions nvml, NvmlEventFunctions events, Pointer set) {
        if (set != null) {
            events.nvmlEventSetFree(set);
        }
        nvml.nvmlShutdown();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            shutdown(nvml, events, set);
        }
    }
}
