package dev.researchmon.sidecar.gpu.nvml;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * {@link NvmlFunctions} by JNA's direct mapping: {@link NvmlLibrary} registers these native methods
 * against one library with {@code Native.register}, so a call goes straight from the JIT's native
 * stub to libffi, with none of the proxy, reflection and argument conversion of JNA's interface
 * mapping (20 times the cost under the sidecar's C1-only JIT, see BENCHMARKS.md).
 *
 * <p>They are instance methods so that the reader calls them through the interface; JNA binds
 * instance and static native methods alike. Do not instantiate or load this class yourself: a
 * direct-mapped class is bound to one library, so {@link NvmlLibrary} defines a copy of it per
 * library.
 */
public final class NvmlFunctionsDirect implements NvmlFunctions {
    @Override
    public native int nvmlInit_v2();

    @Override
    public native int nvmlShutdown();

    @Override
    public native String nvmlErrorString(int result);

    @Override
    public native int nvmlSystemGetDriverVersion(byte[] version, int length);

    @Override
    public native int nvmlSystemGetNVMLVersion(byte[] version, int length);

    @Override
    public native int nvmlDeviceGetCount_v2(int[] count);

    @Override
    public native int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    @Override
    public native int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    @Override
    public native int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    @Override
    public native int nvmlDeviceGetUtilizationRates(Pointer device, int[] utilization);

    @Override
    public native int nvmlDeviceGetMemoryInfo(Pointer device, long[] memory);

    @Override
    public native int nvmlDeviceGetTemperature(Pointer device, int sensorType, int[] celsius);

    @Override
    public native int nvmlDeviceGetPowerUsage(Pointer device, int[] milliwatts);

    @Override
    public native int nvmlDeviceGetEnforcedPowerLimit(Pointer device, int[] milliwatts);

    @Override
    public native int nvmlDeviceGetTotalEnergyConsumption(Pointer device, long[] millijoules);

    @Override
    public native int nvmlDeviceGetClockInfo(Pointer device, int clockType, int[] megahertz);

    @Override
    public native int nvmlDeviceGetFanSpeed(Pointer device, int[] percent);

    @Override
    public native int nvmlDeviceGetPcieThroughput(Pointer device, int counter, int[] kilobytesPerSecond);

    @Override
    public native int nvmlDeviceGetTotalEccErrors(Pointer device, int errorType, int counterType, long[] count);

    @Override
    public native int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, long[] reasons);

    @Override
    public native int nvmlDeviceGetPcieReplayCounter(Pointer device, int[] value);

    @Override
    public native int nvmlDeviceGetFieldValues(Pointer device, int valuesCount, Pointer values);

    @Override
    public native int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, int[] count, Pointer infos);

    @Override
    public native int nvmlDeviceGetProcessUtilization(
            Pointer device, Pointer utilization, int[] samplesCount, long lastSeenTimeStamp);

    @Override
    public native int nvmlDeviceGetMigMode(Pointer device, int[] currentMode, int[] pendingMode);

    @Override
    public native int nvmlDeviceGetMaxMigDeviceCount(Pointer device, int[] count);

    @Override
    public native int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int index, PointerByReference migDevice);

    @Override
    public native int nvmlDeviceGetGpuInstanceId(Pointer device, int[] id);
}
