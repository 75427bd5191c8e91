package dev.researchmon.sidecar.gpu;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * {@link GpuReader} over NVIDIA's NVML through JNA: with its sibling {@link NvmlXidEvents} (which
 * uses the binding declared here) the only native code in the sidecar. Binds the versioned symbols that current drivers export (nvml.h {@code #define}s the plain
 * names to them).
 *
 * <pre>{@code
 * GpuReader reader = NvmlGpuReader.open(Optional.of(Path.of("/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1")));
 * }</pre>
 */
public final class NvmlGpuReader implements GpuReader {
  /** Many installs ship only the versioned name (no -dev package), so load exactly that. */
  public static final String DEFAULT_LIBRARY = "libnvidia-ml.so.1";

  private static final int NVML_SUCCESS = 0;
  private static final int NVML_ERROR_INSUFFICIENT_SIZE = 7;
  private static final int STRING_BUFFER = 96; // NVML_DEVICE_NAME_V2_BUFFER_SIZE, _UUID_V2_
  private static final int TEMPERATURE_GPU = 0;
  private static final int CLOCK_SM = 1;
  private static final int CLOCK_MEM = 2;
  private static final int PCIE_TX = 0;
  private static final int PCIE_RX = 1;
  private static final int ECC_CORRECTED = 0;
  private static final int ECC_UNCORRECTED = 1;
  private static final int ECC_VOLATILE = 0;
  /** nvml.h's NVML_VALUE_NOT_AVAILABLE for unsigned long long fields (e.g. memory of a process). */
  private static final long VALUE_NOT_AVAILABLE = -1L;

  /** The subset of nvml.h the sidecar uses, with its real signatures. */
  public interface Nvml extends Library {
    int nvmlInit_v2();

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlSystemGetDriverVersion(byte[] version, int length);

    int nvmlSystemGetNVMLVersion(byte[] version, int length);

    int nvmlDeviceGetCount_v2(IntByReference count);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);

    int nvmlDeviceGetMemoryInfo(Pointer device, Memory memory);

    int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temp);

    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);

    int nvmlDeviceGetEnforcedPowerLimit(Pointer device, IntByReference milliwatts);

    int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference millijoules);

    int nvmlDeviceGetClockInfo(Pointer device, int clockType, IntByReference megahertz);

    int nvmlDeviceGetFanSpeed(Pointer device, IntByReference percent);

    int nvmlDeviceGetPcieThroughput(Pointer device, int counter, IntByReference kilobytesPerSecond);

    int nvmlDeviceGetTotalEccErrors(Pointer device, int errorType, int counterType, LongByReference count);

    int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, LongByReference reasons);

    int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference count, ProcessInfo[] infos);

    // XID events: a set collects the events of the devices registered in it; a wait blocks in the
    // driver up to timeoutms, so callers wait on a thread of their own, never on the scrape path.
    // Devices that cannot deliver events answer NOT_SUPPORTED to the registration.

    int nvmlEventSetCreate(PointerByReference set);

    int nvmlDeviceRegisterEvents(Pointer device, long eventTypes, Pointer set);

    int nvmlEventSetWait_v2(Pointer set, EventData data, int timeoutms);

    int nvmlEventSetFree(Pointer set);
  }

  /** nvml.h's nvmlEventTypeXidCriticalError: the event type whose eventData is the XID code. */
  public static final long EVENT_TYPE_XID_CRITICAL_ERROR = 0x8L;
  /** nvmlReturn_t NVML_ERROR_TIMEOUT: a wait that saw no event. */
  public static final int NVML_ERROR_TIMEOUT = 10;

  /** nvmlEventData_t: the device handle, the event type, its data (the XID) and MIG instance ids. */
  @Structure.FieldOrder({"device", "eventType", "eventData", "gpuInstanceId", "computeInstanceId"})
  public static class EventData extends Structure {
    public Pointer device;
    public long eventType;
    public long eventData;
    public int gpuInstanceId;
    public int computeInstanceId;
  }

  /** nvmlUtilization_t: two unsigned ints, percent. */
  @Structure.FieldOrder({"gpu", "memory"})
  public static class Utilization extends Structure {
    public int gpu;
    public int memory;
  }

  /** nvmlMemory_t: three unsigned long longs, bytes. */
  @Structure.FieldOrder({"total", "free", "used"})
  public static class Memory extends Structure {
    public long total;
    public long free;
    public long used;
  }

  /** nvmlProcessInfo_t (v2 layout, used by the _v3 call). */
  @Structure.FieldOrder({"pid", "usedGpuMemory", "gpuInstanceId", "computeInstanceId"})
  public static class ProcessInfo extends Structure {
    public int pid;
    public long usedGpuMemory;
    public int gpuInstanceId;
    public int computeInstanceId;
  }

  private final Nvml nvml;
  private boolean closed;

  private NvmlGpuReader(Nvml nvml) {
    this.nvml = nvml;
  }

  /**
   * Loads NVML ({@code library}, else {@value #DEFAULT_LIBRARY} from the loader's search path) and
   * initialises it.
   *
   * @throws GpuUnavailableException when the library is missing or NVML does not initialise
   */
  public static NvmlGpuReader open(Optional<Path> library) throws GpuUnavailableException {
    String name = library.map(p -> p.toAbsolutePath().toString()).orElse(DEFAULT_LIBRARY);
    Nvml nvml;
    try {
      nvml = Native.load(name, Nvml.class);
    } catch (UnsatisfiedLinkError e) {
      throw new GpuUnavailableException("NVML library " + name + " cannot be loaded (no NVIDIA driver here?): "
          + firstLine(e.getMessage()), e);
    }
    int rc;
    try {
      rc = nvml.nvmlInit_v2();
    } catch (UnsatisfiedLinkError e) {
      throw new GpuUnavailableException(name + " is not an NVML library: " + firstLine(e.getMessage()), e);
    }
    if (rc != NVML_SUCCESS) {
      throw new GpuUnavailableException("nvmlInit_v2 failed: " + describe(nvml, rc));
    }
    return new NvmlGpuReader(nvml);
  }

  @Override
  public GpuReading read() throws GpuUnavailableException {
    if (closed) {
      throw new GpuUnavailableException("NVML reader is closed");
    }
    IntByReference count = new IntByReference();
    int rc = nvml.nvmlDeviceGetCount_v2(count);
    if (rc != NVML_SUCCESS) {
      throw new GpuUnavailableException("nvmlDeviceGetCount_v2 failed: " + describe(nvml, rc));
    }
    List<GpuReading.Device> devices = new ArrayList<>();
    for (int i = 0; i < count.getValue(); i++) {
      PointerByReference handle = new PointerByReference();
      if (nvml.nvmlDeviceGetHandleByIndex_v2(i, handle) == NVML_SUCCESS) {
        devices.add(readDevice(i, handle.getValue()));
      }
      // A GPU whose handle fails (fallen off the bus, no permission) is left out; the rest go on.
    }
    return new GpuReading(
        string((b, n) -> nvml.nvmlSystemGetDriverVersion(b, n)),
        string((b, n) -> nvml.nvmlSystemGetNVMLVersion(b, n)),
        devices);
  }

  private GpuReading.Device readDevice(int index, Pointer device) {
    Map<GpuField, Double> values = new EnumMap<>(GpuField.class);

    Utilization utilization = new Utilization();
    if (call(() -> nvml.nvmlDeviceGetUtilizationRates(device, utilization))) {
      utilization.read();
      values.put(GpuField.UTILIZATION, Integer.toUnsignedLong(utilization.gpu) / 100.0);
      values.put(GpuField.MEMORY_UTILIZATION, Integer.toUnsignedLong(utilization.memory) / 100.0);
    }
    Memory memory = new Memory();
    if (call(() -> nvml.nvmlDeviceGetMemoryInfo(device, memory))) {
      memory.read();
      values.put(GpuField.MEMORY_TOTAL, unsigned(memory.total));
      values.put(GpuField.MEMORY_FREE, unsigned(memory.free));
      values.put(GpuField.MEMORY_USED, unsigned(memory.used));
    }
    readInt(values, GpuField.TEMPERATURE, 1, r -> nvml.nvmlDeviceGetTemperature(device, TEMPERATURE_GPU, r));
    readInt(values, GpuField.POWER, 1e-3, r -> nvml.nvmlDeviceGetPowerUsage(device, r));
    readInt(values, GpuField.POWER_LIMIT, 1e-3, r -> nvml.nvmlDeviceGetEnforcedPowerLimit(device, r));
    readLong(values, GpuField.ENERGY, 1e-3, r -> nvml.nvmlDeviceGetTotalEnergyConsumption(device, r));
    readInt(values, GpuField.SM_CLOCK, 1e6, r -> nvml.nvmlDeviceGetClockInfo(device, CLOCK_SM, r));
    readInt(values, GpuField.MEMORY_CLOCK, 1e6, r -> nvml.nvmlDeviceGetClockInfo(device, CLOCK_MEM, r));
    readInt(values, GpuField.FAN_SPEED, 1e-2, r -> nvml.nvmlDeviceGetFanSpeed(device, r));
    readInt(values, GpuField.PCIE_TX, 1024, r -> nvml.nvmlDeviceGetPcieThroughput(device, PCIE_TX, r));
    readInt(values, GpuField.PCIE_RX, 1024, r -> nvml.nvmlDeviceGetPcieThroughput(device, PCIE_RX, r));
    readLong(values, GpuField.ECC_CORRECTED, 1,
        r -> nvml.nvmlDeviceGetTotalEccErrors(device, ECC_CORRECTED, ECC_VOLATILE, r));
    readLong(values, GpuField.ECC_UNCORRECTED, 1,
        r -> nvml.nvmlDeviceGetTotalEccErrors(device, ECC_UNCORRECTED, ECC_VOLATILE, r));

    LongByReference reasons = new LongByReference();
    Long throttle = call(() -> nvml.nvmlDeviceGetCurrentClocksThrottleReasons(device, reasons))
        ? reasons.getValue() : null;

    return new GpuReading.Device(index,
        string((b, n) -> nvml.nvmlDeviceGetUUID(device, b, n)),
        string((b, n) -> nvml.nvmlDeviceGetName(device, b, n)),
        values, throttle, processes(device));
  }

  private List<GpuReading.GpuProcess> processes(Pointer device) {
    // Ask with room for a few, grow once to the count NVML says it needs (processes come and go
    // between the two calls, so a second INSUFFICIENT_SIZE is possible and simply skipped).
    int capacity = 16;
    for (int attempt = 0; attempt < 3; attempt++) {
      IntByReference count = new IntByReference(capacity);
      ProcessInfo[] infos = (ProcessInfo[]) new ProcessInfo().toArray(capacity);
      int rc;
      try {
        rc = nvml.nvmlDeviceGetComputeRunningProcesses_v3(device, count, infos);
      } catch (UnsatisfiedLinkError oldDriver) {
        return null;
      }
      if (rc == NVML_ERROR_INSUFFICIENT_SIZE) {
        capacity = Math.max(count.getValue(), capacity) + 8;
        continue;
      }
      if (rc != NVML_SUCCESS) {
        return null;
      }
      List<GpuReading.GpuProcess> processes = new ArrayList<>();
      for (int i = 0; i < count.getValue(); i++) {
        ProcessInfo info = infos[i];
        if (info.usedGpuMemory != VALUE_NOT_AVAILABLE) {
          processes.add(new GpuReading.GpuProcess(Integer.toUnsignedLong(info.pid), info.usedGpuMemory));
        }
      }
      return processes;
    }
    return null;
  }

  private interface NativeCall {
    int invoke();
  }

  /** True on success; NOT_SUPPORTED, any other error or a symbol this driver lacks: false. */
  private static boolean call(NativeCall call) {
    try {
      return call.invoke() == NVML_SUCCESS;
    } catch (UnsatisfiedLinkError missingSymbol) {
      return false;
    }
  }

  private static void readInt(Map<GpuField, Double> values, GpuField field, double scale,
      ToIntFunction<IntByReference> call) {
    IntByReference out = new IntByReference();
    if (call(() -> call.applyAsInt(out))) {
      values.put(field, Integer.toUnsignedLong(out.getValue()) * scale);
    }
  }

  private static void readLong(Map<GpuField, Double> values, GpuField field, double scale,
      ToIntFunction<LongByReference> call) {
    LongByReference out = new LongByReference();
    if (call(() -> call.applyAsInt(out))) {
      values.put(field, unsigned(out.getValue()) * scale);
    }
  }

  private interface StringCall {
    int invoke(byte[] buffer, int length);
  }

  private static String string(StringCall call) {
    byte[] buffer = new byte[STRING_BUFFER];
    return call(() -> call.invoke(buffer, buffer.length)) ? Native.toString(buffer) : "";
  }

  /** unsigned long long as a double, exact up to 2^53 and correctly rounded above. */
  private static double unsigned(long value) {
    return value >= 0 ? value : (value >>> 1) * 2.0 + (value & 1);
  }

  private static String describe(Nvml nvml, int rc) {
    String text;
    try {
      text = nvml.nvmlErrorString(rc);
    } catch (UnsatisfiedLinkError e) {
      text = null;
    }
    return "NVML error " + rc + (text == null ? "" : " (" + text + ")");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        nvml.nvmlShutdown();
      } catch (UnsatisfiedLinkError ignored) {
        // nothing to release
      }
    }
  }
}
