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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * {@link GpuReader} over NVIDIA's NVML through JNA: with its helper {@link NvmlGpm} (GPM sampling)
 * and its sibling {@link NvmlXidEvents} (which use the binding declared here) the only native code
 * in the sidecar. Binds the versioned symbols that current drivers export (nvml.h
 * {@code #define}s the plain names to them). A function this driver lacks leaves its fields out.
 *
 * <pre>{@code
 * GpuReader reader = NvmlGpuReader.open(Optional.of(Path.of("/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1")));
 * }</pre>
 */
public final class NvmlGpuReader implements GpuReader {
  /** Many installs ship only the versioned name (no -dev package), so load exactly that. */
  public static final String DEFAULT_LIBRARY = "libnvidia-ml.so.1";

  static final int NVML_SUCCESS = 0;
  private static final int NVML_ERROR_NOT_FOUND = 6;
  private static final int NVML_ERROR_INSUFFICIENT_SIZE = 7;
  private static final int NVML_DEVICE_MIG_ENABLE = 1;
  private static final int FI_DEV_MEMORY_TEMP = 82;
  private static final int FI_DEV_NVLINK_THROUGHPUT_DATA_TX = 138; // KiB, all links with scope UINT_MAX
  private static final int FI_DEV_NVLINK_THROUGHPUT_DATA_RX = 139;
  private static final int SCOPE_ALL_LINKS = -1; // UINT_MAX
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

    int nvmlDeviceGetProcessUtilization(Pointer device, ProcessUtilizationSample[] utilization,
        IntByReference processSamplesCount, long lastSeenTimeStamp);

    int nvmlDeviceGetPcieReplayCounter(Pointer device, IntByReference value);

    int nvmlDeviceGetFieldValues(Pointer device, int valuesCount, FieldValue[] values);

    // MIG: a GPU in MIG mode is split into GPU instances, each seen through a MIG device handle.

    int nvmlDeviceGetMigMode(Pointer device, IntByReference currentMode, IntByReference pendingMode);

    int nvmlDeviceGetMaxMigDeviceCount(Pointer device, IntByReference count);

    int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int index, PointerByReference migDevice);

    int nvmlDeviceGetGpuInstanceId(Pointer device, IntByReference id);

    // GPM (R520 and later drivers, Hopper and later GPUs); see NvmlGpm.

    int nvmlGpmQueryDeviceSupport(Pointer device, GpmSupport gpmSupport);

    int nvmlGpmSampleAlloc(PointerByReference gpmSample);

    int nvmlGpmSampleFree(Pointer gpmSample);

    int nvmlGpmSampleGet(Pointer device, Pointer gpmSample);

    int nvmlGpmMigSampleGet(Pointer device, int gpuInstanceId, Pointer gpmSample);

    /** {@code metricsGet} is an nvmlGpmMetricsGet_t laid out by {@link NvmlGpm}. */
    int nvmlGpmMetricsGet(Pointer metricsGet);
  }

  /** nvmlGpmSupport_t: version in (NVML_GPM_SUPPORT_VERSION), support out. */
  @Structure.FieldOrder({"version", "isSupportedDevice"})
  public static class GpmSupport extends Structure {
    public int version;
    public int isSupportedDevice;
  }

  /** nvmlProcessUtilizationSample_t: percentages over NVML's sample period, timeStamp in microseconds. */
  @Structure.FieldOrder({"pid", "timeStamp", "smUtil", "memUtil", "encUtil", "decUtil"})
  public static class ProcessUtilizationSample extends Structure {
    public int pid;
    public long timeStamp;
    public int smUtil;
    public int memUtil;
    public int encUtil;
    public int decUtil;
  }

  /** nvmlFieldValue_t; {@code value} is the nvmlValue_t union, read as {@code valueType} says. */
  @Structure.FieldOrder({"fieldId", "scopeId", "timestamp", "latencyUsec", "valueType", "nvmlReturn", "value"})
  public static class FieldValue extends Structure {
    public int fieldId;
    public int scopeId;
    public long timestamp;
    public long latencyUsec;
    public int valueType;
    public int nvmlReturn;
    public long value;

    /** The union as a number: NVML_VALUE_TYPE_DOUBLE 0, UNSIGNED_INT 1, UNSIGNED_LONG(_LONG) 2/3, SIGNED_LONG_LONG 4, SIGNED_INT 5. */
    double number() {
      return switch (valueType) {
        case 0 -> Double.longBitsToDouble(value);
        case 1 -> Integer.toUnsignedLong((int) value);
        case 2, 3 -> unsigned(value);
        case 4 -> value;
        case 5 -> (int) value;
        default -> Double.NaN;
      };
    }
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
  private final NvmlGpm gpm;
  /** Per GPU index, the newest per-process sample seen, so each pass asks only for newer ones. */
  private final Map<Integer, Long> lastProcessSample = new HashMap<>();
  private boolean closed;

  private NvmlGpuReader(Nvml nvml) {
    this.nvml = nvml;
    this.gpm = new NvmlGpm(nvml);
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
    gpm.endPass();
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

    readInt(values, GpuField.PCIE_REPLAYS, 1, r -> nvml.nvmlDeviceGetPcieReplayCounter(device, r));
    readFieldValues(device, values);

    LongByReference reasons = new LongByReference();
    Long throttle = call(() -> nvml.nvmlDeviceGetCurrentClocksThrottleReasons(device, reasons))
        ? reasons.getValue() : null;

    List<GpuReading.MigInstance> instances = migInstances(device);
    boolean gpmSupported = gpm.supported(device);
    if (gpmSupported) {
      gpm.sample(device, GpuReading.GpuProcess.NO_INSTANCE, values);
    }
    List<GpuReading.MigInstance> migInstances = new ArrayList<>();
    for (GpuReading.MigInstance instance : instances) {
      Map<GpuField, Double> instanceValues = new EnumMap<>(GpuField.class);
      instanceValues.putAll(instance.values());
      if (gpmSupported) {
        gpm.sample(device, instance.id(), instanceValues);
      }
      migInstances.add(new GpuReading.MigInstance(instance.id(), instance.profile(), instanceValues));
    }

    return new GpuReading.Device(index,
        string((b, n) -> nvml.nvmlDeviceGetUUID(device, b, n)),
        string((b, n) -> nvml.nvmlDeviceGetName(device, b, n)),
        values, throttle, processes(device),
        instances.isEmpty() ? processUtilization(index, device) : null, migInstances);
  }

  /** Memory temperature and NVLink data counters, which NVML has only as field values. */
  private void readFieldValues(Pointer device, Map<GpuField, Double> values) {
    FieldValue[] fields = (FieldValue[]) new FieldValue().toArray(3);
    fields[0].fieldId = FI_DEV_MEMORY_TEMP;
    fields[1].fieldId = FI_DEV_NVLINK_THROUGHPUT_DATA_TX;
    fields[1].scopeId = SCOPE_ALL_LINKS;
    fields[2].fieldId = FI_DEV_NVLINK_THROUGHPUT_DATA_RX;
    fields[2].scopeId = SCOPE_ALL_LINKS;
    for (FieldValue f : fields) {
      f.write();
    }
    if (!call(() -> nvml.nvmlDeviceGetFieldValues(device, fields.length, fields))) {
      return;
    }
    GpuField[] targets = {GpuField.MEMORY_TEMPERATURE, GpuField.NVLINK_TX, GpuField.NVLINK_RX};
    double[] scale = {1, 1024, 1024};
    for (int i = 0; i < fields.length; i++) {
      fields[i].read();
      double v = fields[i].number();
      if (fields[i].nvmlReturn == NVML_SUCCESS && !Double.isNaN(v)) {
        values.put(targets[i], v * scale[i]);
      }
    }
  }

  /**
   * The GPU instances of a GPU in MIG mode, with their memory (GPM values are added by the caller);
   * empty when MIG is off or unsupported. The profile is the suffix NVML gives MIG device names
   * ("NVIDIA H100 80GB HBM3 MIG 1g.10gb").
   */
  private List<GpuReading.MigInstance> migInstances(Pointer device) {
    IntByReference current = new IntByReference();
    IntByReference pending = new IntByReference();
    if (!call(() -> nvml.nvmlDeviceGetMigMode(device, current, pending))
        || current.getValue() != NVML_DEVICE_MIG_ENABLE) {
      return List.of();
    }
    IntByReference max = new IntByReference();
    if (!call(() -> nvml.nvmlDeviceGetMaxMigDeviceCount(device, max))) {
      return List.of();
    }
    List<GpuReading.MigInstance> instances = new ArrayList<>();
    for (int i = 0; i < max.getValue(); i++) {
      int slot = i;
      PointerByReference handle = new PointerByReference();
      if (!call(() -> nvml.nvmlDeviceGetMigDeviceHandleByIndex(device, slot, handle))) {
        continue; // an empty slot answers NOT_FOUND
      }
      Pointer mig = handle.getValue();
      IntByReference id = new IntByReference();
      if (!call(() -> nvml.nvmlDeviceGetGpuInstanceId(mig, id))) {
        continue;
      }
      Map<GpuField, Double> values = new EnumMap<>(GpuField.class);
      Memory memory = new Memory();
      if (call(() -> nvml.nvmlDeviceGetMemoryInfo(mig, memory))) {
        memory.read();
        values.put(GpuField.MEMORY_TOTAL, unsigned(memory.total));
        values.put(GpuField.MEMORY_FREE, unsigned(memory.free));
        values.put(GpuField.MEMORY_USED, unsigned(memory.used));
      }
      String name = string((b, n) -> nvml.nvmlDeviceGetName(mig, b, n));
      int at = name.lastIndexOf(" MIG ");
      String profile = at < 0 ? "unknown" : name.substring(at + " MIG ".length()).trim();
      instances.add(new GpuReading.MigInstance(id.getValue(), profile, values));
    }
    return instances;
  }

  /**
   * Per-process activity since the last pass, by the size-query protocol: ask with no buffer for
   * the count, then with one of that size (grown once more if processes appeared in between).
   * NOT_FOUND means no process ran since then: an empty list. {@code null} where unsupported.
   */
  private List<GpuReading.ProcessUtilization> processUtilization(int index, Pointer device) {
    long lastSeen = lastProcessSample.getOrDefault(index, 0L);
    IntByReference count = new IntByReference(0);
    ProcessUtilizationSample[] samples = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int rc;
      try {
        rc = nvml.nvmlDeviceGetProcessUtilization(device, samples, count, lastSeen);
      } catch (UnsatisfiedLinkError oldDriver) {
        return null;
      }
      if (rc == NVML_ERROR_NOT_FOUND) {
        return List.of();
      }
      // The size query answers INSUFFICIENT_SIZE; a driver that answers it with SUCCESS and a
      // count is taken the same way rather than as an idle GPU.
      boolean sizeAnswer = rc == NVML_ERROR_INSUFFICIENT_SIZE
          || (rc == NVML_SUCCESS && samples == null && count.getValue() > 0);
      if (sizeAnswer) {
        int capacity = Math.max(count.getValue(), 1) + 4;
        samples = (ProcessUtilizationSample[]) new ProcessUtilizationSample().toArray(capacity);
        count.setValue(capacity);
        continue;
      }
      if (rc != NVML_SUCCESS) {
        return null;
      }
      return summarise(index, samples, samples == null ? 0 : Math.min(count.getValue(), samples.length));
    }
    return null;
  }

  /** One entry per pid: the mean of its samples in the window (NVML may give several). */
  private List<GpuReading.ProcessUtilization> summarise(int index, ProcessUtilizationSample[] samples, int n) {
    Map<Long, double[]> perPid = new LinkedHashMap<>(); // sm sum, memory sum, count
    long newest = lastProcessSample.getOrDefault(index, 0L);
    for (int i = 0; i < n; i++) {
      ProcessUtilizationSample s = samples[i];
      double[] acc = perPid.computeIfAbsent(Integer.toUnsignedLong(s.pid), p -> new double[3]);
      acc[0] += Integer.toUnsignedLong(s.smUtil);
      acc[1] += Integer.toUnsignedLong(s.memUtil);
      acc[2]++;
      newest = Math.max(newest, s.timeStamp);
    }
    lastProcessSample.put(index, newest);
    List<GpuReading.ProcessUtilization> out = new ArrayList<>();
    for (var e : perPid.entrySet()) {
      double[] acc = e.getValue();
      out.add(new GpuReading.ProcessUtilization(e.getKey(),
          Math.min(1, acc[0] / acc[2] / 100.0), Math.min(1, acc[1] / acc[2] / 100.0)));
    }
    return out;
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
          processes.add(new GpuReading.GpuProcess(Integer.toUnsignedLong(info.pid), info.usedGpuMemory,
              info.gpuInstanceId == -1 ? GpuReading.GpuProcess.NO_INSTANCE : info.gpuInstanceId));
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
      gpm.close();
      try {
        nvml.nvmlShutdown();
      } catch (UnsatisfiedLinkError ignored) {
        // nothing to release
      }
    }
  }
}
