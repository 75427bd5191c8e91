package dev.researchmon.kernel.protocol.message;

/**
 * {@code usage_reply} on control, in the shape ipykernel gives it (JupyterLab's Kernel Usage panel,
 * jupyter-resource-usage): CPU percent of one core, memory in bytes.
 */
public record UsageReply(
        String hostname,
        long pid,
        double kernelCpu,
        long kernelMemory,
        double hostCpuPercent,
        int cpuCount,
        HostMemory hostVirtualMemory) {

    /** The host's memory, as psutil's virtual_memory() names it on Linux. */
    public record HostMemory(
            long total,
            long available,
            double percent,
            long used,
            long free,
            long active,
            long inactive,
            long buffers,
            long cached,
            long shared,
            long slab) {}
}
