package dev.researchmon.sidecar.gpu;

import static dev.researchmon.sidecar.gpu.nvml.NvmlTypes.ERROR_INSUFFICIENT_SIZE;
import static dev.researchmon.sidecar.gpu.nvml.NvmlTypes.ERROR_NOT_FOUND;
import static dev.researchmon.sidecar.gpu.nvml.NvmlTypes.SUCCESS;

import com.sun.jna.Pointer;
import dev.researchmon.sidecar.gpu.nvml.NvmlFunctions;
import dev.researchmon.sidecar.gpu.nvml.NvmlTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes on each GPU: the compute processes with the memory they hold, and how busy each
 * process kept the GPU since the previous pass. Remembers, per GPU, the newest per-process sample it
 * saw, so each pass asks NVML only for newer ones; so one sampler serves one reader thread.
 *
 * <pre>{@code
 * List<GpuReading.GpuProcess> held = processes.computeProcesses(device);
 * List<GpuReading.ProcessUtilization> busy = processes.utilizationSinceLastPass(0, device);
 * }</pre>
 */
final class NvmlProcessSampler {
    private final NvmlFunctions nvml;
    /** Per GPU index, the newest per-process sample seen (NVML's microsecond timestamp). */
    private final Map<Integer, Long> lastSample = new HashMap<>();

    private final int[] count = new int[1];
    private final NvmlTypes.ProcessInfos infos = new NvmlTypes.ProcessInfos(16);
    private final NvmlTypes.ProcessUtilizationSamples samples = new NvmlTypes.ProcessUtilizationSamples(8);

    NvmlProcessSampler(NvmlFunctions nvml) {
        this.nvml = nvml;
    }

    /** Compute processes and their memory, or {@code null} if NVML cannot list them. */
    List<GpuReading.GpuProcess> computeProcesses(Pointer device) {
        // Ask with the room we have, grow once to the count NVML says it needs (processes come and go
        // between the two calls, so a second INSUFFICIENT_SIZE is possible and simply skipped).
        for (int attempt = 0; attempt < 3; attempt++) {
            count[0] = infos.capacity();
            int rc = nvml.nvmlDeviceGetComputeRunningProcesses_v3(device, count, infos.pointer());
            if (rc == ERROR_INSUFFICIENT_SIZE) {
                infos.ensureCapacity(Math.max(count[0], infos.capacity()) + 8);
                continue;
            }
            if (rc != SUCCESS) {
                return null;
            }
            int n = Math.min(count[0], infos.capacity());
            List<GpuReading.GpuProcess> processes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long memory = infos.usedGpuMemory(i);
                if (memory != NvmlTypes.VALUE_NOT_AVAILABLE) {
                    int instance = infos.gpuInstanceId(i);
                    processes.add(new GpuReading.GpuProcess(
                            infos.pid(i), memory, instance == -1 ? GpuReading.GpuProcess.NO_INSTANCE : instance));
                }
            }
            return processes;
        }
        return null;
    }

    /**
     * Per-process activity since the last pass, by the size-query protocol: ask with no buffer for
     * the count, then with one of that size (grown once more if processes appeared in between).
     * NOT_FOUND means no process ran since then: an empty list. {@code null} where unsupported.
     */
    List<GpuReading.ProcessUtilization> utilizationSinceLastPass(int gpu, Pointer device) {
        long lastSeen = lastSample.getOrDefault(gpu, 0L);
        count[0] = 0;
        boolean sized = false; // the first call asks for the count, with no buffer
        for (int attempt = 0; attempt < 3; attempt++) {
            int rc = nvml.nvmlDeviceGetProcessUtilization(device, sized ? samples.pointer() : null, count, lastSeen);
            if (rc == ERROR_NOT_FOUND) {
                return List.of();
            }
            // The size query answers INSUFFICIENT_SIZE; a driver that answers it with SUCCESS and a
            // count is taken the same way rather than as an idle GPU.
            boolean sizeAnswer = rc == ERROR_INSUFFICIENT_SIZE || (rc == SUCCESS && !sized && count[0] > 0);
            if (sizeAnswer) {
                samples.ensureCapacity(Math.max(count[0], 1) + 4);
                count[0] = samples.capacity();
                sized = true;
                continue;
            }
            if (rc != SUCCESS) {
                return null;
            }
            return summarise(gpu, sized ? Math.min(count[0], samples.capacity()) : 0);
        }
        return null;
    }

    /** One entry per pid: the mean of its samples in the window (NVML may give several). */
    private List<GpuReading.ProcessUtilization> summarise(int gpu, int n) {
        Map<Long, double[]> perPid = new LinkedHashMap<>(); // sm sum, memory sum, count
        long newest = lastSample.getOrDefault(gpu, 0L);
        for (int i = 0; i < n; i++) {
            double[] acc = perPid.computeIfAbsent(samples.pid(i), p -> new double[3]);
            acc[0] += samples.smUtil(i);
            acc[1] += samples.memUtil(i);
            acc[2]++;
            newest = Math.max(newest, samples.timeStamp(i));
        }
        lastSample.put(gpu, newest);
        List<GpuReading.ProcessUtilization> out = new ArrayList<>();
        for (var e : perPid.entrySet()) {
            double[] acc = e.getValue();
            out.add(new GpuReading.ProcessUtilization(
                    e.getKey(), Math.min(1, acc[0] / acc[2] / 100.0), Math.min(1, acc[1] / acc[2] / 100.0)));
        }
        return out;
    }
}
