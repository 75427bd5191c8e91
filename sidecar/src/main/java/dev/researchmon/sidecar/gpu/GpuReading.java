package dev.researchmon.sidecar.gpu;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one pass over NVML read: immutable, handed from the refresher thread to scrapes whole.
 *
 * @param driverVersion e.g. {@code 550.54.15}
 * @param nvmlVersion e.g. {@code 12.550.54.15}
 * @param devices one entry per GPU NVML could open, in index order
 */
public record GpuReading(String driverVersion, String nvmlVersion, List<Device> devices) {
    public GpuReading {
        devices = List.copyOf(devices);
    }

    /**
     * One GPU.
     *
     * @param values the fields the GPU supports; a missing key means not supported or failed (GPM
     *     fields also on the first pass, which has only one sample)
     * @param throttleReasons NVML's clock throttle reason bit mask, or {@code null} if unsupported
     * @param processes compute processes on this GPU, or {@code null} if NVML cannot list them
     * @param processUtilization per-process SM and memory activity since the previous pass, or
     *     {@code null} where NVML does not measure it (older GPUs, MIG mode); empty when idle
     * @param migInstances the GPU instances when the GPU is in MIG mode, else empty
     */
    public record Device(
            int index,
            String uuid,
            String name,
            Map<GpuField, Double> values,
            Long throttleReasons,
            List<GpuProcess> processes,
            List<ProcessUtilization> processUtilization,
            List<MigInstance> migInstances) {
        public Device {
            values = copy(values);
            processes = processes == null ? null : List.copyOf(processes);
            processUtilization = processUtilization == null ? null : List.copyOf(processUtilization);
            migInstances = List.copyOf(migInstances);
        }

        public boolean inMigMode() {
            return !migInstances.isEmpty();
        }
    }

    /**
     * A compute process and the device memory it holds.
     *
     * @param gpuInstance the MIG GPU instance it runs in, or {@link #NO_INSTANCE}
     */
    public record GpuProcess(long pid, long usedMemoryBytes, int gpuInstance) {
        public static final int NO_INSTANCE = -1;

        public GpuProcess(long pid, long usedMemoryBytes) {
            this(pid, usedMemoryBytes, NO_INSTANCE);
        }
    }

    /** How busy one process kept the GPU since the last pass: ratios 0..1. */
    public record ProcessUtilization(long pid, double smRatio, double memoryRatio) {}

    /**
     * A MIG GPU instance.
     *
     * @param id NVML's GPU instance id
     * @param profile e.g. {@code 1g.10gb}
     * @param values memory and GPM fields of this instance (those with a {@link GpuField#migMetadata()})
     */
    public record MigInstance(int id, String profile, Map<GpuField, Double> values) {
        public MigInstance {
            values = copy(values);
        }
    }

    private static Map<GpuField, Double> copy(Map<GpuField, Double> values) {
        return values.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(values));
    }
}
