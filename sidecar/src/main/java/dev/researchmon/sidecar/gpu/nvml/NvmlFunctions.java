package dev.researchmon.sidecar.gpu.nvml;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The subset of nvml.h every pass of the sidecar calls, with nvml.h's names and the versioned
 * symbols current drivers export (nvml.h {@code #define}s the plain names to them). Every function
 * answers an nvmlReturn_t ({@link NvmlTypes#SUCCESS} or an error code).
 *
 * <p>Out-parameters of one or a few numbers are Java arrays ({@code int[1]}, {@code long[3]}), which
 * JNA's direct mapping passes as a pointer to their elements without a conversion in Java; arrays of
 * structures are passed as the {@link Pointer} of their first element ({@link NvmlTypes.StructArray}).
 * Bound by {@link NvmlLibrary}; implemented by {@link NvmlFunctionsDirect}.
 *
 * <pre>{@code
 * NvmlFunctions nvml = NvmlLibrary.load(NvmlLibrary.DEFAULT_NAME).functions();
 * int[] count = new int[1];
 * if (nvml.nvmlDeviceGetCount_v2(count) == NvmlTypes.SUCCESS) { ... }
 * }</pre>
 */
public interface NvmlFunctions {
    int nvmlInit_v2();

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlSystemGetDriverVersion(byte[] version, int length);

    int nvmlSystemGetNVMLVersion(byte[] version, int length);

    int nvmlDeviceGetCount_v2(int[] count);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    /** nvmlUtilization_t is {gpu, memory}, unsigned percent: an {@code int[2]}. */
    int nvmlDeviceGetUtilizationRates(Pointer device, int[] utilization);

    /** nvmlMemory_t is {total, free, used}, unsigned long long bytes: a {@code long[3]}. */
    int nvmlDeviceGetMemoryInfo(Pointer device, long[] memory);

    int nvmlDeviceGetTemperature(Pointer device, int sensorType, int[] celsius);

    int nvmlDeviceGetPowerUsage(Pointer device, int[] milliwatts);

    int nvmlDeviceGetEnforcedPowerLimit(Pointer device, int[] milliwatts);

    int nvmlDeviceGetTotalEnergyConsumption(Pointer device, long[] millijoules);

    int nvmlDeviceGetClockInfo(Pointer device, int clockType, int[] megahertz);

    int nvmlDeviceGetFanSpeed(Pointer device, int[] percent);

    int nvmlDeviceGetPcieThroughput(Pointer device, int counter, int[] kilobytesPerSecond);

    int nvmlDeviceGetTotalEccErrors(Pointer device, int errorType, int counterType, long[] count);

    int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, long[] reasons);

    int nvmlDeviceGetPcieReplayCounter(Pointer device, int[] value);

    /** {@code values}: the first of {@code valuesCount} {@link NvmlTypes.FieldValues}. */
    int nvmlDeviceGetFieldValues(Pointer device, int valuesCount, Pointer values);

    /** {@code infos}: the first of {@code count[0]} {@link NvmlTypes.ProcessInfos}. */
    int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, int[] count, Pointer infos);

    /**
     * {@code utilization}: the first of {@code samplesCount[0]} {@link NvmlTypes.ProcessUtilizationSamples},
     * or null to ask for the count.
     */
    int nvmlDeviceGetProcessUtilization(
            Pointer device, Pointer utilization, int[] samplesCount, long lastSeenTimeStamp);

    // MIG: a GPU in MIG mode is split into GPU instances, each seen through a MIG device handle.

    int nvmlDeviceGetMigMode(Pointer device, int[] currentMode, int[] pendingMode);

    int nvmlDeviceGetMaxMigDeviceCount(Pointer device, int[] count);

    int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int index, PointerByReference migDevice);

    int nvmlDeviceGetGpuInstanceId(Pointer device, int[] id);
}
