package dev.researchmon.sidecar.gpu;

import static dev.researchmon.sidecar.gpu.nvml.NvmlTypes.SUCCESS;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.researchmon.sidecar.gpu.nvml.NvmlFunctions;
import dev.researchmon.sidecar.gpu.nvml.NvmlLibrary;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The GPU instances of a GPU in MIG mode, each seen through its MIG device handle: id, profile and
 * memory. The reader adds their GPM activity. One reader thread uses it.
 *
 * <pre>{@code
 * for (NvmlMigInstances.Instance gi : mig.of(device)) { gpm.sample(device, gi.id(), gi.values()); }
 * }</pre>
 */
final class NvmlMigInstances {
    private static final int NVML_DEVICE_MIG_ENABLE = 1;
    /** NVML names MIG devices "<GPU name> MIG <profile>", e.g. "NVIDIA H100 80GB HBM3 MIG 1g.10gb". */
    private static final String PROFILE_MARK = " MIG ";

    /** One GPU instance while the pass is building it; {@code values} take the GPM fields too. */
    record Instance(int id, String profile, Map<GpuField, Double> values) {
        GpuReading.MigInstance reading() {
            return new GpuReading.MigInstance(id, profile, values);
        }
    }

    private final NvmlFunctions nvml;
    private final NvmlDeviceFields fields;
    private final int[] current = new int[1];
    private final int[] pending = new int[1];
    private final int[] intOut = new int[1];
    private final PointerByReference handle = new PointerByReference();

    NvmlMigInstances(NvmlFunctions nvml, NvmlDeviceFields fields) {
        this.nvml = nvml;
        this.fields = fields;
    }

    /** The GPU instances of {@code device}; empty when MIG is off or unsupported. */
    List<Instance> of(Pointer device) {
        if (nvml.nvmlDeviceGetMigMode(device, current, pending) != SUCCESS || current[0] != NVML_DEVICE_MIG_ENABLE) {
            return List.of();
        }
        if (nvml.nvmlDeviceGetMaxMigDeviceCount(device, intOut) != SUCCESS) {
            return List.of();
        }
        int slots = intOut[0];
        List<Instance> instances = new ArrayList<>();
        for (int slot = 0; slot < slots; slot++) {
            if (nvml.nvmlDeviceGetMigDeviceHandleByIndex(device, slot, handle) != SUCCESS) {
                continue; // an empty slot answers NOT_FOUND
            }
            Pointer mig = handle.getValue();
            if (nvml.nvmlDeviceGetGpuInstanceId(mig, intOut) != SUCCESS) {
                continue;
            }
            int id = intOut[0];
            Map<GpuField, Double> values = new EnumMap<>(GpuField.class);
            fields.readMemory(mig, values);
            String name = NvmlLibrary.string((b, n) -> nvml.nvmlDeviceGetName(mig, b, n));
            int at = name.lastIndexOf(PROFILE_MARK);
            String profile = at < 0
                    ? "unknown"
                    : name.substring(at + PROFILE_MARK.length()).trim();
            instances.add(new Instance(id, profile, values));
        }
        return instances;
    }
}
