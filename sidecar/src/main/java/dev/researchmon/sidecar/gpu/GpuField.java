package dev.researchmon.sidecar.gpu;

/**
 * The numeric per-GPU readings, each with the metric it is exposed as. Values are stored in base
 * units already (ratios 0..1, bytes, watts, joules, hertz, bytes per second), so the collector only
 * labels them.
 */
public enum GpuField {
  UTILIZATION("gpu_utilization_ratio", "Fraction of the last sample period a kernel ran on the GPU.", false),
  MEMORY_UTILIZATION("gpu_memory_utilization_ratio",
      "Fraction of the last sample period device memory was read or written.", false),
  MEMORY_USED("gpu_memory_used_bytes", "Device memory in use.", false),
  MEMORY_FREE("gpu_memory_free_bytes", "Device memory free.", false),
  MEMORY_TOTAL("gpu_memory_total_bytes", "Device memory installed.", false),
  TEMPERATURE("gpu_temperature_celsius", "GPU core temperature.", false),
  POWER("gpu_power_watts", "Power draw of the board.", false),
  POWER_LIMIT("gpu_power_limit_watts", "Power limit enforced by the driver.", false),
  ENERGY("gpu_energy_joules", "Energy used since the driver was loaded.", true),
  SM_CLOCK("gpu_sm_clock_hertz", "Current SM (streaming multiprocessor) clock.", false),
  MEMORY_CLOCK("gpu_memory_clock_hertz", "Current memory clock.", false),
  FAN_SPEED("gpu_fan_speed_ratio", "Intended fan speed as a fraction of its maximum.", false),
  PCIE_TX("gpu_pcie_transmit_bytes_per_second", "PCIe bytes sent by the GPU per second (20 ms sample).", false),
  PCIE_RX("gpu_pcie_receive_bytes_per_second", "PCIe bytes received by the GPU per second (20 ms sample).", false),
  ECC_CORRECTED("gpu_ecc_corrected_errors", "Single-bit ECC errors corrected since the driver was loaded.", true),
  ECC_UNCORRECTED("gpu_ecc_uncorrected_errors", "Double-bit ECC errors not corrected since the driver was loaded.", true);

  private final String metricName;
  private final String help;
  private final boolean counter;

  GpuField(String metricName, String help, boolean counter) {
    this.metricName = metricName;
    this.help = help;
    this.counter = counter;
  }

  /** The exposed name; for counters without the {@code _total} suffix client_java adds. */
  public String metricName() {
    return metricName;
  }

  public String help() {
    return help;
  }

  public boolean isCounter() {
    return counter;
  }
}
