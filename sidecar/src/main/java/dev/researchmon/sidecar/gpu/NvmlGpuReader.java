package dev.researchmon.sidecar.gpu;

import static dev.researchmon.sidecar.gpu.nvml.NvmlTypes.SUCCESS;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.researchmon.sidecar.gpu.nvml.NvmlFunctions;
import dev.researchmon.sidecar.gpu.nvml.NvmlLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link GpuReader} over NVIDIA's NVML: one pass visits every GPU and puts together what its
 * helpers read, each for one concern: {@link NvmlDeviceFields} (gauges and counters),
 * {@link NvmlMigInstances} (MIG GPU instances), {@link NvmlGpm} (GPM activity) and
 * {@link NvmlProcessSampler} (processes and their activity). The native binding itself is
 * {@link NvmlLibrary} (JNA direct mapping). A field a GPU or driver lacks is left out of its device.
 *
 * <pre>{@code
 * try (GpuReader reader = NvmlGpuReader.open(Optional.of(Path.of("/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1")))) {
 *   GpuReading now = reader.read();
 * }
 * }</pre>
 */
public final class NvmlGpuReader implements GpuReader {
    /** The library loaded when no path is given. */
    public static final String DEFAULT_LIBRARY = NvmlLibrary.DEFAULT_NAME;

    private final NvmlFunctions nvml;
    private final NvmlDeviceFields fields;
    private final NvmlMigInstances mig;
    private final NvmlGpm gpm;
    private final NvmlProcessSampler processes;
    private final int[] count = new int[1];
    /** Reused: each new one is a native allocation with a cleaner. */
    private final PointerByReference handle = new PointerByReference();

    private boolean closed;

    private NvmlGpuReader(NvmlLibrary library, NvmlFunctions nvml) {
        this.nvml = nvml;
        this.fields = new NvmlDeviceFields(nvml);
        this.mig = new NvmlMigInstances(nvml, fields);
        this.gpm = new NvmlGpm(library.gpm());
        this.processes = new NvmlProcessSampler(nvml);
    }

    /**
     * Loads NVML ({@code library}, else {@value #DEFAULT_LIBRARY} from the loader's search path) and
     * initialises it.
     *
     * @throws GpuUnavailableException when the library is missing, is not NVML, or NVML does not
     *     initialise; the message says which
     */
    public static NvmlGpuReader open(Optional<Path> library) throws GpuUnavailableException {
        NvmlLibrary loaded = NvmlLibrary.load(library);
        NvmlFunctions nvml = loaded.functions();
        int rc = nvml.nvmlInit_v2();
        if (rc != SUCCESS) {
            throw new GpuUnavailableException("nvmlInit_v2 failed: " + loaded.describe(rc));
        }
        return new NvmlGpuReader(loaded, nvml);
    }

    @Override
    public GpuReading read() throws GpuUnavailableException {
        if (closed) {
            throw new GpuUnavailableException("NVML reader is closed");
        }
        int rc = nvml.nvmlDeviceGetCount_v2(count);
        if (rc != SUCCESS) {
            throw new GpuUnavailableException(
                    "nvmlDeviceGetCount_v2 failed: NVML error " + rc + " (" + nvml.nvmlErrorString(rc) + ")");
        }
        int gpus = count[0];
        List<GpuReading.Device> devices = new ArrayList<>(gpus);
        for (int i = 0; i < gpus; i++) {
            if (nvml.nvmlDeviceGetHandleByIndex_v2(i, handle) == SUCCESS) {
                devices.add(readDevice(i, handle.getValue()));
            }
            // A GPU whose handle fails (fallen off the bus, no permission) is left out; the rest go on.
        }
        gpm.endPass();
        return new GpuReading(
                NvmlLibrary.string(nvml::nvmlSystemGetDriverVersion),
                NvmlLibrary.string(nvml::nvmlSystemGetNVMLVersion),
                devices);
    }

    private GpuReading.Device readDevice(int index, Pointer device) {
        Map<GpuField, Double> values = fields.read(device);
        Long throttle = fields.throttleReasons(device);
        List<NvmlMigInstances.Instance> instances = mig.of(device);
        if (gpm.supported(device)) {
            gpm.sample(device, GpuReading.GpuProcess.NO_INSTANCE, values);
            for (NvmlMigInstances.Instance instance : instances) {
                gpm.sample(device, instance.id(), instance.values());
            }
        }
        List<GpuReading.MigInstance> migInstances = new ArrayList<>(instances.size());
        for (NvmlMigInstances.Instance instance : instances) {
            migInstances.add(instance.reading());
        }
        // NVML measures per-process activity of a whole GPU only; in MIG mode it is left unknown.
        return new GpuReading.Device(
                index,
                NvmlLibrary.string((b, n) -> nvml.nvmlDeviceGetUUID(device, b, n)),
                NvmlLibrary.string((b, n) -> nvml.nvmlDeviceGetName(device, b, n)),
                values,
                throttle,
                processes.computeProcesses(device),
                instances.isEmpty() ? processes.utilizationSinceLastPass(index, device) : null,
                migInstances);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            gpm.close();
            nvml.nvmlShutdown();
        }
    }
}
