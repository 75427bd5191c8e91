package dev.researchmon.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * probe.fill(content);   // content.get("kernel_memory") is the RSS in bytes
 * }</pre>
 */
final class UsageProbe {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long lastCpuNanos = os.getProcessCpuTime();
    private long lastWallNanos = System.nanoTime();

    synchronized void fill(ObjectNode content) {
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        double kernelCpu = wall > lastWallNanos ? 100.0 * (cpu - lastCpuNanos) / (wall - lastWallNanos) : 0.0;
        lastCpuNanos = cpu;
        lastWallNanos = wall;

        content.put("hostname", hostname());
        content.put("pid", ProcessHandle.current().pid());
        content.put("kernel_cpu", round(kernelCpu));
        content.put("kernel_memory", residentBytes());
        double hostLoad = os.getCpuLoad();
        content.put("host_cpu_percent", round(hostLoad < 0 ? 0.0 : hostLoad * 100.0));
        content.put("cpu_count", Runtime.getRuntime().availableProcessors());
        ObjectNode memory = content.putObject("host_virtual_memory");
        long total = os.getTotalMemorySize();
        long available = availableBytes(os.getFreeMemorySize());
        memory.put("total", total);
        memory.put("available", available);
        memory.put("percent", round(total > 0 ? 100.0 * (total - available) / total : 0.0));
        memory.put("used", total - available);
        memory.put("free", os.getFreeMemorySize());
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
