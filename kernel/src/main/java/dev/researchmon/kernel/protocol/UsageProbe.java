package dev.researchmon.kernel.protocol;

import dev.researchmon.kernel.protocol.message.UsageReply;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Measures what {@code usage_reply} carries, in ipykernel's shape, so JupyterLab's Kernel Usage
 * panel and jupyter-resource-usage work: kernel CPU percent since the last request, kernel resident
 * memory, host CPU percent and count, host memory. {@code host_virtual_memory} has the fields of
 * psutil's {@code virtual_memory()} on Linux (which ipykernel sends as they are, and the panel shows
 * {@code active}, {@code available}, {@code free}, {@code inactive}, {@code percent}, {@code total},
 * {@code used}), computed from {@code /proc/meminfo} the way psutil does.
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
        return new UsageReply(
                hostname(),
                ProcessHandle.current().pid(),
                round(kernelCpu),
                residentBytes(),
                round(hostLoad < 0 ? 0.0 : hostLoad * 100.0),
                Runtime.getRuntime().availableProcessors(),
                hostMemory());
    }

    /** psutil's Linux arithmetic: cached counts reclaimable slab, used is what neither free nor cache holds. */
    private UsageReply.HostMemory hostMemory() {
        Map<String, Long> info = procFields(Path.of("/proc/meminfo"));
        long total = os.getTotalMemorySize();
        long free = os.getFreeMemorySize();
        long available = free;
        if (info.containsKey("MemTotal") && info.containsKey("MemFree")) {
            total = info.get("MemTotal");
            free = info.get("MemFree");
            available = info.getOrDefault("MemAvailable", free);
        }
        long buffers = info.getOrDefault("Buffers", 0L);
        long cached = info.getOrDefault("Cached", 0L) + info.getOrDefault("SReclaimable", 0L);
        long used = total - free - cached - buffers;
        return new UsageReply.HostMemory(
                total,
                available,
                round(total > 0 ? 100.0 * (total - available) / total : 0.0),
                used < 0 ? total - free : used,
                free,
                info.getOrDefault("Active", 0L),
                info.getOrDefault("Inactive", 0L),
                buffers,
                cached,
                info.getOrDefault("Shmem", 0L),
                info.getOrDefault("Slab", 0L));
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }

    /**
     * The host's name as {@code gethostname()} gives it (what ipykernel sends), from
     * {@code /proc/sys/kernel/hostname}: a name lookup ({@code InetAddress.getLocalHost()}) fails
     * in containers without a hosts entry for themselves and would say "localhost".
     */
    private static String hostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** VmRSS from /proc where there is one; the JVM's committed memory elsewhere. */
    private static long residentBytes() {
        Long rss = procFields(Path.of("/proc/self/status")).get("VmRSS");
        if (rss != null) {
            return rss;
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory()
                + ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted();
    }

    /** The "Name: value kB" lines of a /proc file, in bytes; empty where there is no such file (not Linux). */
    static Map<String, Long> procFields(Path file) {
        Map<String, Long> fields = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                String[] value = line.substring(colon + 1).trim().split("\\s+");
                if (colon > 0 && value.length == 2 && value[1].equals("kB")) {
                    fields.put(line.substring(0, colon), Long.parseLong(value[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unreadable /proc: the caller falls back to what the JVM knows
        }
        return fields;
    }
}
