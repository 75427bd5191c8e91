package dev.researchmon.magics.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/** The kernel's resident memory, from {@code /proc/self/status} (Linux); empty elsewhere. */
final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    static OptionalDouble residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalDouble.of(parseKiloBytes(line.substring("VmRSS:".length())));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc unreadable: the series is simply absent.
        }
        return OptionalDouble.empty();
    }

    /** {@code "   123456 kB"} to bytes. */
    static double parseKiloBytes(String value) {
        String digits = value.trim().split("\\s+")[0];
        return Long.parseLong(digits) * 1024.0;
    }
}
