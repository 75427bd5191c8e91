package dev.researchmon.sidecar.gpu;

import static dev.researchmon.sidecar.gpu.nvml.NvmlTypes.SUCCESS;
import static dev.researchmon.sidecar.gpu.nvml.NvmlTypes.unsigned;

import com.sun.jna.Pointer;
import dev.researchmon.sidecar.gpu.nvml.NvmlFunctions;
import dev.researchmon.sidecar.gpu.nvml.NvmlTypes;
import java.util.EnumMap;
import java.util.Map;

/**
 * The per-GPU gauges and counters of one pass, in base units: utilization, memory, temperatures,
 * power and energy, clocks, fan, PCIe, ECC, NVLink, and the throttle reasons. A field NVML does not
 * support on a GPU (NOT_SUPPORTED or any other error) is left out for that GPU. Reuses its output
 * buffers from pass to pass, so it belongs to one reader thread.
 *
 * <pre>{@code
 * NvmlDeviceFields fields = new NvmlDeviceFields(nvml);
 * Map<GpuField, Double> values = fields.read(device);
 * }</pre>
 */
final class NvmlDeviceFields {
    private static final int TEMPERATURE_GPU = 0;
    private static final int CLOCK_SM = 1;
    private static final int CLOCK_MEM = 2;
    private static final int PCIE_TX = 0;
    private static final int PCIE_RX = 1;
    private static final int ECC_CORRECTED = 0;
    private static final int ECC_UNCORRECTED = 1;
    private static final int ECC_VOLATILE = 0;
    // Field values: what NVML has only as nvmlFieldValue_t, and the scale to base units.
    private static final int FI_DEV_MEMORY_TEMP = 82;
    private static final int FI_DEV_NVLINK_THROUGHPUT_DATA_TX = 138; // KiB, all links with scope UINT_MAX
    private static final int FI_DEV_NVLINK_THROUGHPUT_DATA_RX = 139;
    private static final int SCOPE_ALL_LINKS = -1; // UINT_MAX
    private static final GpuField[] FIELD_VALUE_TARGETS = {
        GpuField.MEMORY_TEMPERATURE, GpuField.NVLINK_TX, GpuField.NVLINK_RX
    };
    private static final double[] FIELD_VALUE_SCALES = {1, 1024, 1024};

    private final NvmlFunctions nvml;
    private final int[] utilization = new int[2];
    private final long[] memory = new long[3];
    private final int[] intOut = new int[1];
    private final long[] longOut = new long[1];
    private final NvmlTypes.FieldValues fieldValues = new NvmlTypes.FieldValues(FIELD_VALUE_TARGETS.length);

    NvmlDeviceFields(NvmlFunctions nvml) {
        this.nvml = nvml;
    }

    /** Every supported field of {@code device}. */
    Map<GpuField, Double> read(Pointer device) {
        Map<GpuField, Double> values = new EnumMap<>(GpuField.class);
        if (nvml.nvmlDeviceGetUtilizationRates(device, utilization) == SUCCESS) {
            values.put(GpuField.UTILIZATION, Integer.toUnsignedLong(utilization[0]) / 100.0);
            values.put(GpuField.MEMORY_UTILIZATION, Integer.toUnsignedLong(utilization[1]) / 100.0);
        }
        readMemory(device, values);
        putInt(values, GpuField.TEMPERATURE, 1, nvml.nvmlDeviceGetTemperature(device, TEMPERATURE_GPU, intOut));
        putInt(values, GpuField.POWER, 1e-3, nvml.nvmlDeviceGetPowerUsage(device, intOut));
        putInt(values, GpuField.POWER_LIMIT, 1e-3, nvml.nvmlDeviceGetEnforcedPowerLimit(device, intOut));
        putLong(values, GpuField.ENERGY, 1e-3, nvml.nvmlDeviceGetTotalEnergyConsumption(device, longOut));
        putInt(values, GpuField.SM_CLOCK, 1e6, nvml.nvmlDeviceGetClockInfo(device, CLOCK_SM, intOut));
        putInt(values, GpuField.MEMORY_CLOCK, 1e6, nvml.nvmlDeviceGetClockInfo(device, CLOCK_MEM, intOut));
        putInt(values, GpuField.FAN_SPEED, 1e-2, nvml.nvmlDeviceGetFanSpeed(device, intOut));
        putInt(values, GpuField.PCIE_TX, 1024, nvml.nvmlDeviceGetPcieThroughput(device, PCIE_TX, intOut));
        putInt(values, GpuField.PCIE_RX, 1024, nvml.nvmlDeviceGetPcieThroughput(device, PCIE_RX, intOut));
        putLong(
                values,
                GpuField.ECC_CORRECTED,
                1,
                nvml.nvmlDeviceGetTotalEccErrors(device, ECC_CORRECTED, ECC_VOLATILE, longOut));
        putLong(
                values,
                GpuField.ECC_UNCORRECTED,
                1,
                nvml.nvmlDeviceGetTotalEccErrors(device, ECC_UNCORRECTED, ECC_VOLATILE, longOut));
        putInt(values, GpuField.PCIE_REPLAYS, 1, nvml.nvmlDeviceGetPcieReplayCounter(device, intOut));
        readFieldValues(device, values);
        return values;
    }

    /** Total, free and used memory of a GPU or of a MIG device. */
    void readMemory(Pointer device, Map<GpuField, Double> values) {
        if (nvml.nvmlDeviceGetMemoryInfo(device, memory) == SUCCESS) {
            values.put(GpuField.MEMORY_TOTAL, unsigned(memory[0]));
            values.put(GpuField.MEMORY_FREE, unsigned(memory[1]));
            values.put(GpuField.MEMORY_USED, unsigned(memory[2]));
        }
    }

    /** NVML's clock throttle reason bit mask, or {@code null} where unsupported. */
    Long throttleReasons(Pointer device) {
        return nvml.nvmlDeviceGetCurrentClocksThrottleReasons(device, longOut) == SUCCESS ? longOut[0] : null;
    }

    /** Memory temperature and NVLink data counters, which NVML has only as field values. */
    private void readFieldValues(Pointer device, Map<GpuField, Double> values) {
        // Asked anew each pass: NVML writes the whole element, and a driver may touch the request too.
        fieldValues.request(0, FI_DEV_MEMORY_TEMP, 0);
        fieldValues.request(1, FI_DEV_NVLINK_THROUGHPUT_DATA_TX, SCOPE_ALL_LINKS);
        fieldValues.request(2, FI_DEV_NVLINK_THROUGHPUT_DATA_RX, SCOPE_ALL_LINKS);
        int n = FIELD_VALUE_TARGETS.length;
        if (nvml.nvmlDeviceGetFieldValues(device, n, fieldValues.pointer()) != SUCCESS) {
            return;
        }
        for (int i = 0; i < n; i++) {
            double v = fieldValues.number(i);
            if (fieldValues.nvmlReturn(i) == SUCCESS && !Double.isNaN(v)) {
                values.put(FIELD_VALUE_TARGETS[i], v * FIELD_VALUE_SCALES[i]);
            }
        }
    }

    private void putInt(Map<GpuField, Double> values, GpuField field, double scale, int rc) {
        if (rc == SUCCESS) {
            values.put(field, Integer.toUnsignedLong(intOut[0]) * scale);
        }
    }

    private void putLong(Map<GpuField, Double> values, GpuField field, double scale, int rc) {
        if (rc == SUCCESS) {
            values.put(field, unsigned(longOut[0]) * scale);
        }
    }
}
