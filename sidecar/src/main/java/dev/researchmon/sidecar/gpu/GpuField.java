package dev.researchmon.sidecar.gpu;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The numeric per-GPU readings, each with the metric it is exposed as: its client_java
 * {@link MetricMetadata} (name, help and {@link Unit}) and its {@link MetricType}, built when the
 * class loads so a bad name fails at start-up. Values are stored in base units already (ratios
 * 0..1, bytes, watts, joules, hertz, bytes per second), so the collector only labels them.
 *
 * <p>Fields marked per instance are also read for each MIG GPU instance, exposed with the
 * {@code gpu_mig_} prefix (see {@link #migMetadata()}).
 */
public enum GpuField {
    UTILIZATION(
            "gpu_utilization_ratio",
            Unit.RATIO,
            MetricType.GAUGE,
            false,
            "Fraction of the last sample period a kernel ran on the GPU (any kernel, however few SMs it used)."),
    MEMORY_UTILIZATION(
            "gpu_memory_utilization_ratio",
            Unit.RATIO,
            MetricType.GAUGE,
            false,
            "Fraction of the last sample period device memory was read or written."),
    MEMORY_USED("gpu_memory_used_bytes", Unit.BYTES, MetricType.GAUGE, true, "Device memory in use."),
    MEMORY_FREE("gpu_memory_free_bytes", Unit.BYTES, MetricType.GAUGE, true, "Device memory free."),
    MEMORY_TOTAL("gpu_memory_total_bytes", Unit.BYTES, MetricType.GAUGE, true, "Device memory installed."),
    TEMPERATURE("gpu_temperature_celsius", Unit.CELSIUS, MetricType.GAUGE, false, "GPU core temperature."),
    MEMORY_TEMPERATURE(
            "gpu_memory_temperature_celsius",
            Unit.CELSIUS,
            MetricType.GAUGE,
            false,
            "Device memory (HBM) temperature."),
    POWER("gpu_power_watts", Units.WATTS, MetricType.GAUGE, false, "Power draw of the board."),
    POWER_LIMIT("gpu_power_limit_watts", Units.WATTS, MetricType.GAUGE, false, "Power limit enforced by the driver."),
    ENERGY("gpu_energy_joules", Unit.JOULES, MetricType.COUNTER, false, "Energy used since the driver was loaded."),
    SM_CLOCK(
            "gpu_sm_clock_hertz", Units.HERTZ, MetricType.GAUGE, false, "Current SM (streaming multiprocessor) clock."),
    MEMORY_CLOCK("gpu_memory_clock_hertz", Units.HERTZ, MetricType.GAUGE, false, "Current memory clock."),
    FAN_SPEED(
            "gpu_fan_speed_ratio",
            Unit.RATIO,
            MetricType.GAUGE,
            false,
            "Intended fan speed as a fraction of its maximum."),
    PCIE_TX(
            "gpu_pcie_transmit_bytes_per_second",
            Units.BYTES_PER_SECOND,
            MetricType.GAUGE,
            false,
            "PCIe bytes sent by the GPU per second (20 ms sample)."),
    PCIE_RX(
            "gpu_pcie_receive_bytes_per_second",
            Units.BYTES_PER_SECOND,
            MetricType.GAUGE,
            false,
            "PCIe bytes received by the GPU per second (20 ms sample)."),
    PCIE_REPLAYS(
            "gpu_pcie_replays",
            null,
            MetricType.COUNTER,
            false,
            "PCIe packets the GPU had to send again (link errors) since the driver was loaded."),
    NVLINK_TX(
            "gpu_nvlink_transmit_bytes",
            Unit.BYTES,
            MetricType.COUNTER,
            false,
            "Data sent over all the GPU's NVLinks (without protocol overhead)."),
    NVLINK_RX(
            "gpu_nvlink_receive_bytes",
            Unit.BYTES,
            MetricType.COUNTER,
            false,
            "Data received over all the GPU's NVLinks (without protocol overhead)."),
    ECC_CORRECTED(
            "gpu_ecc_corrected_errors",
            null,
            MetricType.COUNTER,
            false,
            "Single-bit ECC errors corrected since the driver was loaded."),
    ECC_UNCORRECTED(
            "gpu_ecc_uncorrected_errors",
            null,
            MetricType.COUNTER,
            false,
            "Double-bit ECC errors not corrected since the driver was loaded."),
    // GPM (GPU Performance Monitoring, NVML on Hopper and later): what DCGM's profiling fields give,
    // averaged over the time between two samples a refresh apart.
    SM_ACTIVE(
            "gpu_sm_active_ratio",
            Unit.RATIO,
            MetricType.GAUGE,
            true,
            "Fraction of the SMs busy between two GPM samples (NVML GPM SM_UTIL; DCGM's SM_ACTIVE)."),
    SM_OCCUPANCY(
            "gpu_sm_occupancy_ratio",
            Unit.RATIO,
            MetricType.GAUGE,
            true,
            "Warps resident on the SMs as a fraction of the most they hold (NVML GPM SM_OCCUPANCY)."),
    TENSOR_ACTIVE(
            "gpu_tensor_active_ratio",
            Unit.RATIO,
            MetricType.GAUGE,
            true,
            "Fraction of time the tensor cores were busy, any data type (NVML GPM ANY_TENSOR_UTIL)."),
    DRAM_ACTIVE(
            "gpu_dram_active_ratio",
            Unit.RATIO,
            MetricType.GAUGE,
            true,
            "Device-memory bandwidth used as a fraction of its peak (NVML GPM DRAM_BW_UTIL)."),
    FP64_ACTIVE(
            "gpu_fp64_active_ratio",
            Unit.RATIO,
            MetricType.GAUGE,
            true,
            "Fraction of time the FP64 (non-tensor) pipe was busy (NVML GPM FP64_UTIL)."),
    FP32_ACTIVE(
            "gpu_fp32_active_ratio",
            Unit.RATIO,
            MetricType.GAUGE,
            true,
            "Fraction of time the FP32 (non-tensor) pipe was busy (NVML GPM FP32_UTIL)."),
    FP16_ACTIVE(
            "gpu_fp16_active_ratio",
            Unit.RATIO,
            MetricType.GAUGE,
            true,
            "Fraction of time the FP16 (non-tensor) pipe was busy (NVML GPM FP16_UTIL).");

    private final MetricMetadata metadata;
    private final MetricMetadata migMetadata;
    private final MetricType type;

    GpuField(String name, Unit unit, MetricType type, boolean perInstance, String help) {
        this.metadata = metadata(name, help, unit);
        this.migMetadata = perInstance
                ? metadata("gpu_mig_" + name.substring("gpu_".length()), help + " Per MIG GPU instance.", unit)
                : null;
        this.type = type;
    }

    private static MetricMetadata metadata(String name, String help, Unit unit) {
        return unit == null ? new MetricMetadata(name, help) : new MetricMetadata(name, help, unit);
    }

    /** Name (for counters without the {@code _total} client_java adds), help and unit. */
    public MetricMetadata metadata() {
        return metadata;
    }

    /** The same reading of one MIG GPU instance, or {@code null} when NVML has it per GPU only. */
    public MetricMetadata migMetadata() {
        return migMetadata;
    }

    public MetricType type() {
        return type;
    }

    /** Units client_java does not predefine; the names are Prometheus' base units. */
    private static final class Units {
        static final Unit WATTS = new Unit("watts");
        static final Unit HERTZ = new Unit("hertz");
        static final Unit BYTES_PER_SECOND = new Unit("bytes_per_second");
    }
}
