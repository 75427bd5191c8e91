package dev.researchmon.sidecar.gpu;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one pass over NVML read: immutable, handed from the refresher thread to scrapes whole.
 *
 * @param driverVersion e.g. {@code 550.54.15}
 * @param nvmlVersion e.g. {@code 12.550.54.15}
 * @param devices one entry per GPU NVML could open, in index order
 */
public record GpuReading(String driverVersion, String nvmlVersion, List<Device> devices) {
  public GpuReading {
    devices = List.copyOf(devices);
  }

  /**
   * One GPU.
   *
   * @param values the fields the GPU supports; a missing key means not supported or failed
   * @param throttleReasons NVML's clock throttle reason bit mask, or {@code null} if unsupported
   * @param processes compute processes on this GPU, or {@code null} if NVML cannot list them
   */
  public record Device(int index, String uuid, String name, Map<GpuField, Double> values,
      Long throttleReasons, List<GpuProcess> processes) {
    public Device {
      values = values.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(values));
      processes = processes == null ? null : List.copyOf(processes);
    }
  }

  /** A compute process and the device memory it holds. */
  public record GpuProcess(long pid, long usedMemoryBytes) {}
}
