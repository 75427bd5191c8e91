package dev.researchmon.sidecar.gpu;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link XidEventSource} over NVML's event API (nvmlEventSetCreate, nvmlDeviceRegisterEvents for
 * nvmlEventTypeXidCriticalError, nvmlEventSetWait_v2, nvmlEventSetFree), bound through
 * {@link NvmlGpuReader.Nvml}: with {@link NvmlGpuReader} the only native code in the sidecar. It holds
 * its own NVML reference (nvmlInit is reference-counted), so the refresher may reopen its reader
 * meanwhile. GPUs that cannot deliver events (NOT_SUPPORTED) are simply not registered.
 *
 * <pre>{@code
 * try (XidEventSource events = NvmlXidEvents.open(Optional.empty())) {
 *   events.next(1000).ifPresent(e -> System.out.println("XID " + e.xid() + " on GPU " + e.gpu()));
 * }
 * }</pre>
 */
public final class NvmlXidEvents implements XidEventSource {
  private static final int NVML_SUCCESS = 0;
  private static final int STRING_BUFFER = 96;

  private final NvmlGpuReader.Nvml nvml;
  private final Pointer set;
  private final Map<Pointer, XidCounts.Device> devices;
  private boolean closed;

  private NvmlXidEvents(NvmlGpuReader.Nvml nvml, Pointer set, Map<Pointer, XidCounts.Device> devices) {
    this.nvml = nvml;
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
    String name = library.map(p -> p.toAbsolutePath().toString()).orElse(NvmlGpuReader.DEFAULT_LIBRARY);
    NvmlGpuReader.Nvml nvml;
    try {
      nvml = Native.load(name, NvmlGpuReader.Nvml.class);
    } catch (UnsatisfiedLinkError e) {
      throw new GpuUnavailableException("NVML library " + name + " cannot be loaded", e);
    }
    int rc;
    try {
      rc = nvml.nvmlInit_v2();
    } catch (UnsatisfiedLinkError e) {
      throw new GpuUnavailableException(name + " is not an NVML library", e);
    }
    if (rc != NVML_SUCCESS) {
      throw new GpuUnavailableException("nvmlInit_v2 failed with code " + rc);
    }
    Pointer set = null;
    try {
      PointerByReference setRef = new PointerByReference();
      rc = nvml.nvmlEventSetCreate(setRef);
      if (rc != NVML_SUCCESS) {
        throw new GpuUnavailableException("nvmlEventSetCreate failed with code " + rc);
      }
      set = setRef.getValue();
      Map<Pointer, XidCounts.Device> devices = register(nvml, set);
      return new NvmlXidEvents(nvml, set, Map.copyOf(devices));
    } catch (UnsatisfiedLinkError e) {
      shutdown(nvml, set);
      throw new GpuUnavailableException("this NVML has no event API (driver too old?)", e);
    } catch (GpuUnavailableException | RuntimeException e) {
      shutdown(nvml, set);
      throw e;
    }
  }

  private static Map<Pointer, XidCounts.Device> register(NvmlGpuReader.Nvml nvml, Pointer set)
      throws GpuUnavailableException {
    IntByReference count = new IntByReference();
    int rc = nvml.nvmlDeviceGetCount_v2(count);
    if (rc != NVML_SUCCESS) {
      throw new GpuUnavailableException("nvmlDeviceGetCount_v2 failed with code " + rc);
    }
    Map<Pointer, XidCounts.Device> devices = new HashMap<>();
    for (int i = 0; i < count.getValue(); i++) {
      PointerByReference handle = new PointerByReference();
      if (nvml.nvmlDeviceGetHandleByIndex_v2(i, handle) != NVML_SUCCESS) {
        continue;
      }
      Pointer device = handle.getValue();
      // NOT_SUPPORTED is normal (e.g. GPUs before Fermi, some vGPUs): that GPU has no XID series.
      if (nvml.nvmlDeviceRegisterEvents(device, NvmlGpuReader.EVENT_TYPE_XID_CRITICAL_ERROR, set)
          == NVML_SUCCESS) {
        devices.put(device, new XidCounts.Device(i,
            string(buf -> nvml.nvmlDeviceGetUUID(device, buf, buf.length)),
            string(buf -> nvml.nvmlDeviceGetName(device, buf, buf.length))));
      }
    }
    return devices;
  }

  private interface StringCall {
    int call(byte[] buffer);
  }

  private static String string(StringCall call) {
    byte[] buffer = new byte[STRING_BUFFER];
    if (call.call(buffer) != NVML_SUCCESS) {
      return "";
    }
    int end = 0;
    while (end < buffer.length && buffer[end] != 0) {
      end++;
    }
    return new String(buffer, 0, end, StandardCharsets.UTF_8);
  }

  @Override
  public Optional<XidEvent> next(int timeoutMillis) throws GpuUnavailableException {
    if (closed) {
      throw new GpuUnavailableException("XID event source is closed");
    }
    NvmlGpuReader.EventData data = new NvmlGpuReader.EventData();
    int rc = nvml.nvmlEventSetWait_v2(set, data, timeoutMillis);
    if (rc == NvmlGpuReader.NVML_ERROR_TIMEOUT) {
      return Optional.empty();
    }
    if (rc != NVML_SUCCESS) {
      throw new GpuUnavailableException("nvmlEventSetWait_v2 failed with code " + rc);
    }
    XidCounts.Device device = devices.get(data.device);
    if (device == null || (data.eventType & NvmlGpuReader.EVENT_TYPE_XID_CRITICAL_ERROR) == 0) {
      return Optional.empty(); // not an event this set asked for
    }
    return Optional.of(new XidEvent(device.gpu(), device.uuid(), device.name(), data.eventData));
  }

  private static void shutdown(NvmlGpuReader.Nvml nvml, Pointer set) {
    try {
      if (set != null) {
        nvml.nvmlEventSetFree(set);
      }
    } catch (UnsatisfiedLinkError ignored) {
      // no event API: there is no set to free
    }
    nvml.nvmlShutdown();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      shutdown(nvml, set);
    }
  }
}
