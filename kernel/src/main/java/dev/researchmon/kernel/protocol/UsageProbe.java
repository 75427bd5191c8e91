package dev.researchmon.kernel.protocol;

import dev.researchmon.kernel.protocol.message.UsageReply;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures what {@code usage_reply} carries, in ipykernel's shape, so JupyterLab's Kernel Usage
 * panel and jupyter-resource-usage work: kernel CPU percent since the last request, kernel resident
 * memory, host CPU percent and count, host memory.
 *
 * <pre>{@code
 * UsageReply usage = probe.reply();   // usage.kernelMemory() is the RSS in bytes
 * }</pre>
 */
final class UsageProbe {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long lastCpuNanos = os.getProcessCpuTime();
    private long lastWallNanos = System.nanoTime();

    synchronized UsageReply reply() {
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        double kernelCpu = wall > lastWallNanos ? 100.0 * (cpu - lastCpuNanos) / (wall - lastWallNanos) : 0.0;
        lastCpuNanos = cpu;
        lastWallNanos = wall;
        double hostLoad = os.getCpuLoad();
        long total = os.getTotalMemorySize();
        long free = os.getFreeMemorySize();
        long available = availableBytes(free);
        UsageReply.HostMemory memory = new UsageReply.HostMemory(total, available,
                round(total > 0 ? 100.0 * (total - available) / total : 0.0), total - available, free);
        return new UsageReply(hostname(), ProcessHandle.current().pid(), round(kernelCpu), residentBytes(),
                round(hostLoad < 0 ? 0.0 : hostLoad * 100.0), Runtime.getRuntime().availableProcessors(), memory);
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** VmRSS from /proc where there is one; the JVM's committed memory elsewhere. */
    private static long residentBytes() {
        Long kb = procField(Path.of("/proc/self/status"), "VmRSS:");
        if (kb != null) {
            return kb * 1024;
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() + ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted();
    }

    /** MemAvailable (free plus reclaimable cache) where Linux tells it; plain free memory elsewhere. */
    private static long availableBytes(long free) {
        Long kb = procField(Path.of("/proc/meminfo"), "MemAvailable:");
        return kb != null ? kb * 1024 : free;
    }

    private static Long procField(Path file, String field) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unreadable /proc
        }
        return null;
    }
}
