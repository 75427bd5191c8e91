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
 */
public record GpuState(List<Gpu> gpus, List<Holder> holders) {

    public GpuState {
        gpus = List.copyOf(gpus);
        holders = List.copyOf(holders);
    }

    /** One device; a reading the device does not support is empty. */
    public record Gpu(String index, String name, String uuid, OptionalDouble utilizationRatio,
                      OptionalDouble memoryUsedBytes, OptionalDouble memoryTotalBytes,
                      OptionalDouble temperatureCelsius, OptionalDouble powerWatts) {
    }

    /** GPU memory that one notebook kernel (its process and descendants) holds on one GPU. */
    public record Holder(String gpu, String notebook, String kernelId, double memoryBytes) {
    }
}
