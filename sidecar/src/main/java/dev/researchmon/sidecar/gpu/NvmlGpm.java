package dev.researchmon.sidecar.gpu;

import static dev.researchmon.sidecar.gpu.nvml.NvmlTypes.SUCCESS;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.researchmon.sidecar.gpu.nvml.NvmlGpmFunctions;
import dev.researchmon.sidecar.gpu.nvml.NvmlTypes;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * NVML's GPU Performance Monitoring (GPM, Hopper and later) for {@link NvmlGpuReader}: keeps two
 * sample buffers per GPU (and per MIG GPU instance), takes one sample each pass and turns the last
 * two into SM, tensor, DRAM and pipe activity. A GPU NVML says has no GPM gets nothing; a library
 * without the {@code nvmlGpm*} symbols (a driver before R520, {@code NvmlLibrary.gpm()} empty)
 * has GPM off for good. Used by one thread, like the reader.
 *
 * <pre>{@code
 * NvmlGpm gpm = new NvmlGpm(library.gpm());
 * if (gpm.supported(device)) gpm.sample(device, GpuReading.GpuProcess.NO_INSTANCE, values);
 * gpm.endPass();
 * }</pre>
 */
final class NvmlGpm implements AutoCloseable {
    /** nvml.h's NVML_GPM_METRIC_* ids of the metrics we expose. */
    private static final Map<GpuField, Integer> METRIC_IDS = metricIds();

    private static Map<GpuField, Integer> metricIds() {
        Map<GpuField, Integer> ids = new EnumMap<>(GpuField.class);
        ids.put(GpuField.SM_ACTIVE, 2); // NVML_GPM_METRIC_SM_UTIL
        ids.put(GpuField.SM_OCCUPANCY, 3); // NVML_GPM_METRIC_SM_OCCUPANCY
        ids.put(GpuField.TENSOR_ACTIVE, 5); // NVML_GPM_METRIC_ANY_TENSOR_UTIL
        ids.put(GpuField.DRAM_ACTIVE, 10); // NVML_GPM_METRIC_DRAM_BW_UTIL
        ids.put(GpuField.FP64_ACTIVE, 11); // NVML_GPM_METRIC_FP64_UTIL
        ids.put(GpuField.FP32_ACTIVE, 12); // NVML_GPM_METRIC_FP32_UTIL
        ids.put(GpuField.FP16_ACTIVE, 13); // NVML_GPM_METRIC_FP16_UTIL
        return Map.copyOf(ids);
    }

    private static final GpuField[] FIELDS = METRIC_IDS.keySet().toArray(new GpuField[0]);

    // nvmlGpmMetricsGet_t: {unsigned version; unsigned numMetrics; sample1; sample2;
    // nvmlGpmMetric_t metrics[NVML_GPM_METRIC_MAX]}, each metric {unsigned metricId; nvmlReturn_t;
    // double value; char *shortName, *longName, *unit} = 40 bytes on LP64.
    private static final int METRICS_GET_VERSION = 1;
    private static final int SUPPORT_VERSION = 1;
    private static final int OFFSET_SAMPLE1 = 8;
    private static final int OFFSET_SAMPLE2 = 16;
    private static final int OFFSET_METRICS = 24;
    private static final int METRIC_SIZE = 40;
    /**
     * NVML_GPM_METRIC_MAX grew with the headers (98 in CUDA 11.8-12.8, 210 in 12.9-13.1, 333 in
     * 13.2+) while the struct version stayed 1. We allocate the largest, so a library built against
     * any of them stays inside our memory, and ask for only {@link #FIELDS}.length metrics, below
     * the smallest, which every library accepts.
     */
    private static final int METRIC_CAPACITY = 333;

    /** Null when this library has no GPM. */
    private final NvmlGpmFunctions nvml;

    private final Memory request = new Memory(OFFSET_METRICS + (long) METRIC_CAPACITY * METRIC_SIZE);
    private final Map<Long, Boolean> supportByDevice = new HashMap<>();
    private final Map<Key, Sampler> samplers = new HashMap<>();
    private final Set<Key> sampledThisPass = new HashSet<>();

    NvmlGpm(Optional<NvmlGpmFunctions> gpm) {
        this.nvml = gpm.orElse(null);
        request.clear();
    }

    /** Whether NVML's GPM runs on this GPU; asked once per device. */
    boolean supported(Pointer device) {
        if (nvml == null) {
            return false;
        }
        return supportByDevice.computeIfAbsent(Pointer.nativeValue(device), d -> {
            NvmlTypes.GpmSupport support = new NvmlTypes.GpmSupport();
            support.version = SUPPORT_VERSION;
            support.write();
            if (nvml.nvmlGpmQueryDeviceSupport(device, support) != SUCCESS) {
                return false;
            }
            support.read();
            return support.isSupportedDevice != 0;
        });
    }

    /**
     * Takes this pass's sample of the GPU ({@code gpuInstance} {@link GpuReading.GpuProcess#NO_INSTANCE})
     * or of one MIG GPU instance, and puts into {@code values} the activity since the previous
     * pass's sample; nothing on the first pass or after a failed sample. Call only where
     * {@link #supported} says so.
     */
    void sample(Pointer device, int gpuInstance, Map<GpuField, Double> values) {
        if (nvml == null) {
            return;
        }
        Key key = new Key(Pointer.nativeValue(device), gpuInstance);
        sampledThisPass.add(key);
        Sampler sampler = samplers.get(key);
        if (sampler == null) {
            sampler = Sampler.allocate(nvml);
            if (sampler == null) {
                return;
            }
            samplers.put(key, sampler);
        }
        int rc = gpuInstance == GpuReading.GpuProcess.NO_INSTANCE
                ? nvml.nvmlGpmSampleGet(device, sampler.next)
                : nvml.nvmlGpmMigSampleGet(device, gpuInstance, sampler.next);
        if (rc != SUCCESS) {
            sampler.hasPrevious = false;
            return;
        }
        if (sampler.hasPrevious) {
            metrics(sampler.previous, sampler.next, values);
        }
        sampler.swap();
    }

    private void metrics(Pointer earlier, Pointer later, Map<GpuField, Double> values) {
        request.setInt(0, METRICS_GET_VERSION);
        request.setInt(4, FIELDS.length);
        request.setPointer(OFFSET_SAMPLE1, earlier);
        request.setPointer(OFFSET_SAMPLE2, later);
        for (int i = 0; i < FIELDS.length; i++) {
            long at = OFFSET_METRICS + (long) i * METRIC_SIZE;
            request.setMemory(at, METRIC_SIZE, (byte) 0);
            request.setInt(at, METRIC_IDS.get(FIELDS[i]));
        }
        if (nvml.nvmlGpmMetricsGet(request) != SUCCESS) {
            return;
        }
        for (int i = 0; i < FIELDS.length; i++) {
            long at = OFFSET_METRICS + (long) i * METRIC_SIZE;
            if (request.getInt(at + 4) != SUCCESS) {
                continue; // this GPU does not measure that metric: left out
            }
            double percent = request.getDouble(at + 8);
            if (!Double.isNaN(percent)) {
                values.put(FIELDS[i], Math.max(0, Math.min(1, percent / 100.0)));
            }
        }
    }

    /** Frees the buffers of GPUs and instances not sampled since the last call (gone, MIG changed). */
    void endPass() {
        for (Iterator<Map.Entry<Key, Sampler>> it = samplers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Sampler> e = it.next();
            if (!sampledThisPass.contains(e.getKey())) {
                e.getValue().free(nvml);
                it.remove();
            }
        }
        sampledThisPass.clear();
    }

    @Override
    public void close() {
        for (Sampler sampler : samplers.values()) {
            sampler.free(nvml);
        }
        samplers.clear();
    }

    private record Key(long device, int gpuInstance) {}

    /** Two NVML sample buffers used in turn: the previous pass's and this pass's. */
    private static final class Sampler {
        Pointer previous;
        Pointer next;
        boolean hasPrevious;

        static Sampler allocate(NvmlGpmFunctions nvml) {
            PointerByReference a = new PointerByReference();
            PointerByReference b = new PointerByReference();
            if (nvml.nvmlGpmSampleAlloc(a) != SUCCESS) {
                return null;
            }
            if (nvml.nvmlGpmSampleAlloc(b) != SUCCESS) {
                nvml.nvmlGpmSampleFree(a.getValue());
                return null;
            }
            Sampler s = new Sampler();
            s.previous = a.getValue();
            s.next = b.getValue();
            return s;
        }

        void swap() {
            Pointer t = previous;
            previous = next;
            next = t;
            hasPrevious = true;
        }

        void free(NvmlGpmFunctions nvml) {
            nvml.nvmlGpmSampleFree(previous);
            nvml.nvmlGpmSampleFree(next);
        }
    }
}
