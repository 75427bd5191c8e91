package dev.researchmon.sidecar.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.testkit.StubNvml;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NvmlGpuReader} against the stub NVML library built from src/test/c with gcc. */
class NvmlGpuReaderIT {
  @TempDir Path tmp;

  private GpuReading read(Map<String, String> config) throws Exception {
    Path lib = StubNvml.configured(tmp.resolve("case"), config);
    try (NvmlGpuReader reader = NvmlGpuReader.open(Optional.of(lib))) {
      return reader.read();
    }
  }

  @Test
  void everyField_isReadInBaseUnits() throws Exception {
    GpuReading reading = read(Map.of("STUB_NVML_GPUS", "2"));
    assertEquals("550.54.15", reading.driverVersion());
    assertEquals("12.550.54.15", reading.nvmlVersion());
    assertEquals(2, reading.devices().size());
    GpuReading.Device gpu1 = reading.devices().get(1);
    assertEquals(1, gpu1.index());
    assertEquals("Stub GPU 1", gpu1.name());
    assertEquals("GPU-00000000-0000-0000-0000-000000000001", gpu1.uuid());
    Map<GpuField, Double> v = gpu1.values();
    assertEquals(0.51, v.get(GpuField.UTILIZATION), 1e-12);
    assertEquals(0.21, v.get(GpuField.MEMORY_UTILIZATION), 1e-12);
    assertEquals(61.0, v.get(GpuField.TEMPERATURE));
    assertEquals(251.0, v.get(GpuField.POWER), 1e-9);
    assertEquals(700.0, v.get(GpuField.POWER_LIMIT), 1e-9);
    assertEquals(123456789.001, v.get(GpuField.ENERGY), 1e-6);
    assertEquals(1.98e9, v.get(GpuField.SM_CLOCK));
    assertEquals(2.619e9, v.get(GpuField.MEMORY_CLOCK));
    assertEquals(0.31, v.get(GpuField.FAN_SPEED), 1e-12);
    assertEquals(1001 * 1024.0, v.get(GpuField.PCIE_TX));
    assertEquals(2001 * 1024.0, v.get(GpuField.PCIE_RX));
    assertEquals(6.0, v.get(GpuField.ECC_CORRECTED));
    assertEquals(0.0, v.get(GpuField.ECC_UNCORRECTED));
    assertEquals(0x5L, gpu1.throttleReasons());
    assertEquals(List.of(), gpu1.processes());
    assertEquals(GpuField.values().length, v.size());
  }

  @Test
  void memoryAbove32Bits_isExact() throws Exception {
    long total = 103_079_215_104L; // 96 GiB
    GpuReading.Device gpu = read(Map.of("STUB_NVML_MEMORY_TOTAL", Long.toString(total))).devices().get(0);
    assertEquals((double) total, gpu.values().get(GpuField.MEMORY_TOTAL));
    assertEquals(42_949_672_960.0, gpu.values().get(GpuField.MEMORY_USED));
    assertEquals(total - 42_949_672_960.0, gpu.values().get(GpuField.MEMORY_FREE));
  }

  @Test
  void fieldsNotSupportedByOneGpu_areLeftOutForThatGpuOnly() throws Exception {
    GpuReading reading = read(Map.of("STUB_NVML_GPUS", "2",
        "STUB_NVML_UNSUPPORTED", "1:fan,1:power,1:ecc,1:throttle,1:processes,1:utilization"));
    GpuReading.Device gpu0 = reading.devices().get(0);
    GpuReading.Device gpu1 = reading.devices().get(1);
    assertEquals(GpuField.values().length, gpu0.values().size());
    for (GpuField gone : List.of(GpuField.FAN_SPEED, GpuField.POWER, GpuField.ECC_CORRECTED,
        GpuField.ECC_UNCORRECTED, GpuField.UTILIZATION, GpuField.MEMORY_UTILIZATION)) {
      assertFalse(gpu1.values().containsKey(gone), gone + " should be left out");
    }
    assertEquals(61.0, gpu1.values().get(GpuField.TEMPERATURE));
    assertEquals(700.0, gpu1.values().get(GpuField.POWER_LIMIT), 1e-9);
    assertNull(gpu1.throttleReasons());
    assertNull(gpu1.processes());
    assertEquals(0x5L, gpu0.throttleReasons());
  }

  @Test
  void manyProcesses_areAllListedAfterGrowingTheBuffer() throws Exception {
    StringBuilder procs = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      procs.append(i == 0 ? "" : ",").append("0:").append(1000 + i).append(':').append((i + 1) * 5_000_000_000L);
    }
    GpuReading.Device gpu = read(Map.of("STUB_NVML_PROCESSES", procs.toString())).devices().get(0);
    assertEquals(40, gpu.processes().size());
    assertEquals(new GpuReading.GpuProcess(1039, 200_000_000_000L), gpu.processes().get(39));
  }

  @Test
  void driverNotLoaded_isUnavailableWithNvmlsReason() throws Exception {
    Path lib = StubNvml.configured(tmp.resolve("case"), Map.of("STUB_NVML_INIT", "9"));
    GpuUnavailableException e =
        assertThrows(GpuUnavailableException.class, () -> NvmlGpuReader.open(Optional.of(lib)));
    assertEquals("nvmlInit_v2 failed: NVML error 9 (Driver Not Loaded)", e.getMessage());
  }

  @Test
  void uninitialized_isUnavailableWithNvmlsReason() throws Exception {
    Path lib = StubNvml.configured(tmp.resolve("case"), Map.of("STUB_NVML_INIT", "1"));
    GpuUnavailableException e =
        assertThrows(GpuUnavailableException.class, () -> NvmlGpuReader.open(Optional.of(lib)));
    assertTrue(e.getMessage().contains("NVML error 1 (Uninitialized)"), e.getMessage());
  }

  @Test
  void missingLibrary_isUnavailableAndNamesIt() {
    Path absent = tmp.resolve("nowhere/libnvidia-ml.so.1");
    GpuUnavailableException e =
        assertThrows(GpuUnavailableException.class, () -> NvmlGpuReader.open(Optional.of(absent)));
    assertTrue(e.getMessage().startsWith("NVML library " + absent + " cannot be loaded"), e.getMessage());
  }

  @Test
  void libraryThatIsNotNvml_isUnavailable() throws Exception {
    // libc loads fine but has no NVML symbols.
    Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    GpuUnavailableException e =
        assertThrows(GpuUnavailableException.class, () -> NvmlGpuReader.open(Optional.of(libc)));
    assertTrue(e.getMessage().contains("is not an NVML library"), e.getMessage());
  }
}
