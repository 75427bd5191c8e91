package dev.researchmon.sidecar.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.researchmon.testkit.StubNvml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XID event binding of {@link NvmlGpuReader.Nvml} against the stub NVML: the signatures and
 * nvmlEventData_t layout must match nvml.h, or the XID codes and device handles read back are wrong.
 */
class NvmlXidEventsIT {
  private static final int NOT_SUPPORTED = 3;

  @TempDir Path tmp;

  /** Registers every GPU for XID events, then collects "gpu:xid" until a wait times out. */
  private static List<String> drain(NvmlGpuReader.Nvml nvml, int gpus, List<Integer> registration) {
    PointerByReference setRef = new PointerByReference();
    assertEquals(0, nvml.nvmlEventSetCreate(setRef));
    Pointer set = setRef.getValue();
    List<Pointer> handles = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      PointerByReference device = new PointerByReference();
      assertEquals(0, nvml.nvmlDeviceGetHandleByIndex_v2(i, device));
      handles.add(device.getValue());
      registration.add(nvml.nvmlDeviceRegisterEvents(device.getValue(),
          NvmlGpuReader.EVENT_TYPE_XID_CRITICAL_ERROR, set));
    }
    List<String> events = new ArrayList<>();
    while (true) {
      NvmlGpuReader.EventData data = new NvmlGpuReader.EventData();
      int rc = nvml.nvmlEventSetWait_v2(set, data, 1000);
      if (rc == NvmlGpuReader.NVML_ERROR_TIMEOUT) {
        break;
      }
      assertEquals(0, rc);
      assertEquals(NvmlGpuReader.EVENT_TYPE_XID_CRITICAL_ERROR, data.eventType);
      events.add(handles.indexOf(data.device) + ":" + data.eventData);
    }
    assertEquals(0, nvml.nvmlEventSetFree(set));
    return events;
  }

  private NvmlGpuReader.Nvml load(Map<String, String> config) throws Exception {
    Path lib = StubNvml.configured(tmp.resolve("case"), config);
    NvmlGpuReader.Nvml nvml = Native.load(lib.toAbsolutePath().toString(), NvmlGpuReader.Nvml.class);
    assertEquals(0, nvml.nvmlInit_v2());
    return nvml;
  }

  @Test
  void configuredXidEvents_areDeliveredOncePerGpuAndCode_thenWaitsTimeOut() throws Exception {
    NvmlGpuReader.Nvml nvml = load(Map.of("STUB_NVML_GPUS", "2", "STUB_NVML_XID", "0:79,0:79,1:48"));
    try {
      List<Integer> registration = new ArrayList<>();
      assertEquals(List.of("0:79", "0:79", "1:48"), drain(nvml, 2, registration));
      assertEquals(List.of(0, 0), registration);
    } finally {
      nvml.nvmlShutdown();
    }
  }

  @Test
  void gpuThatCannotRegister_answersNotSupported_andTheOthersStillDeliver() throws Exception {
    NvmlGpuReader.Nvml nvml = load(Map.of("STUB_NVML_GPUS", "2", "STUB_NVML_XID", "0:13,1:48",
        "STUB_NVML_UNSUPPORTED", "0:events"));
    try {
      List<Integer> registration = new ArrayList<>();
      assertEquals(List.of("1:48"), drain(nvml, 2, registration));
      assertEquals(List.of(NOT_SUPPORTED, 0), registration);
    } finally {
      nvml.nvmlShutdown();
    }
  }
}
