package dev.researchmon.sidecar.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.researchmon.sidecar.gpu.nvml.NvmlEventFunctions;
import dev.researchmon.sidecar.gpu.nvml.NvmlFunctions;
import dev.researchmon.sidecar.gpu.nvml.NvmlLibrary;
import dev.researchmon.sidecar.gpu.nvml.NvmlTypes;
import dev.researchmon.testkit.StubNvml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XID event binding ({@link NvmlEventFunctions}, direct-mapped) against the stub NVML: the signatures and
 * nvmlEventData_t layout must match nvml.h, or the XID codes and device handles read back are wrong.
 */
class NvmlXidEventsIT {
    private static final int NOT_SUPPORTED = 3;

    @TempDir
    Path tmp;

    /** Registers every GPU for XID events, then collects "gpu:xid" until a wait times out. */
    private static List<String> drain(NvmlLibrary library, int gpus, List<Integer> registration) throws Exception {
        NvmlFunctions nvml = library.functions();
        NvmlEventFunctions events = library.events().orElseThrow();
        PointerByReference setRef = new PointerByReference();
        assertEquals(0, events.nvmlEventSetCreate(setRef));
        Pointer set = setRef.getValue();
        List<Pointer> handles = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            PointerByReference device = new PointerByReference();
            assertEquals(0, nvml.nvmlDeviceGetHandleByIndex_v2(i, device));
            handles.add(device.getValue());
            registration.add(
                    events.nvmlDeviceRegisterEvents(device.getValue(), NvmlTypes.EVENT_TYPE_XID_CRITICAL_ERROR, set));
        }
        List<String> delivered = new ArrayList<>();
        while (true) {
            NvmlTypes.EventData data = new NvmlTypes.EventData();
            int rc = events.nvmlEventSetWait_v2(set, data, 1000);
            if (rc == NvmlTypes.ERROR_TIMEOUT) {
                break;
            }
            assertEquals(0, rc);
            data.read();
            assertEquals(NvmlTypes.EVENT_TYPE_XID_CRITICAL_ERROR, data.eventType);
            delivered.add(handles.indexOf(data.device) + ":" + data.eventData);
        }
        assertEquals(0, events.nvmlEventSetFree(set));
        return delivered;
    }

    private NvmlLibrary load(Map<String, String> config) throws Exception {
        Path lib = StubNvml.configured(tmp.resolve("case"), config);
        NvmlLibrary library = NvmlLibrary.load(Optional.of(lib));
        assertEquals(0, library.functions().nvmlInit_v2());
        return library;
    }

    @Test
    void configuredXidEvents_areDeliveredOncePerGpuAndCode_thenWaitsTimeOut() throws Exception {
        NvmlLibrary nvml = load(Map.of("STUB_NVML_GPUS", "2", "STUB_NVML_XID", "0:79,0:79,1:48"));
        try {
            List<Integer> registration = new ArrayList<>();
            assertEquals(List.of("0:79", "0:79", "1:48"), drain(nvml, 2, registration));
            assertEquals(List.of(0, 0), registration);
        } finally {
            nvml.functions().nvmlShutdown();
        }
    }

    @Test
    void gpuThatCannotRegister_answersNotSupported_andTheOthersStillDeliver() throws Exception {
        NvmlLibrary nvml =
                load(Map.of("STUB_NVML_GPUS", "2", "STUB_NVML_XID", "0:13,1:48", "STUB_NVML_UNSUPPORTED", "0:events"));
        try {
            List<Integer> registration = new ArrayList<>();
            assertEquals(List.of("1:48"), drain(nvml, 2, registration));
            assertEquals(List.of(NOT_SUPPORTED, 0), registration);
        } finally {
            nvml.functions().nvmlShutdown();
        }
    }
}
