package dev.researchmon.magics.gpu;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The GPUs as the sidecar last saw them, and which notebooks hold memory on them.
 *
 * <pre>{@code
 * GpuState state = GpuState.fromFamilies(families);
 * state.gpus().isEmpty();   // no GPU on this machine
 * }</pre>
 *
 * @param gpus    one entry per device, by index
 * @param holders GPU memory held by notebook kernels, as the sidecar attributes it
 * @param spent    GPU energy and time the sidecar gave each kernel since it first saw it
 */
public record GpuState(List<Gpu> gpus, List<Holder> holders, List<Spent> spent) {

    public GpuState {
        gpus = List.copyOf(gpus);
        holders = List.copyOf(holders);
        spent = List.copyOf(spent);
    }

    public GpuState(List<Gpu> gpus, List<Holder> holders) {
        this(gpus, holders, List.of());
    }

    /** What one kernel spent on one GPU: {@code gpu_notebook_energy_joules_total} and busy seconds. */
    public record Spent(String gpu, String kernelId, double joules, double busySeconds) {}

    /** This kernel's spending, GPU by GPU. */
    public List<Spent> spentBy(String kernelId) {
        return spent.stream().filter(s -> s.kernelId().equals(kernelId)).toList();
    }

    /** One device; a reading the device does not support is empty. */
    public record Gpu(
            String index,
            String name,
            String uuid,
            OptionalDouble utilizationRatio,
            OptionalDouble memoryUsedBytes,
            OptionalDouble memoryTotalBytes,
            OptionalDouble temperatureCelsius,
            OptionalDouble powerWatts) {}

    /** GPU memory that one notebook kernel (its process and descendants) holds on one GPU. */
    public record Holder(String gpu, String notebook, String kernelId, double memoryBytes) {}
}
