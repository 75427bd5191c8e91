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
    @TempDir
    Path tmp;

    private static final List<GpuField> GPM_FIELDS = List.of(
            GpuField.SM_ACTIVE,
            GpuField.SM_OCCUPANCY,
            GpuField.TENSOR_ACTIVE,
            GpuField.DRAM_ACTIVE,
            GpuField.FP64_ACTIVE,
            GpuField.FP32_ACTIVE,
            GpuField.FP16_ACTIVE);

    private GpuReading read(Map<String, String> config) throws Exception {
        Path lib = StubNvml.configured(tmp.resolve("case"), config);
        try (NvmlGpuReader reader = NvmlGpuReader.open(Optional.of(lib))) {
            return reader.read();
        }
    }

    /** The second of two passes: GPM needs a sample from each. */
    private GpuReading readTwice(Map<String, String> config, StubNvml.Build build) throws Exception {
        Path lib = StubNvml.configured(tmp.resolve("case-" + build), config, build);
        try (NvmlGpuReader reader = NvmlGpuReader.open(Optional.of(lib))) {
            reader.read();
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
        assertEquals(4.0, v.get(GpuField.PCIE_REPLAYS));
        assertEquals(71.0, v.get(GpuField.MEMORY_TEMPERATURE));
        assertEquals(1_000_001 * 1024.0, v.get(GpuField.NVLINK_TX));
        assertEquals(2_000_001 * 1024.0, v.get(GpuField.NVLINK_RX));
        assertEquals(0x5L, gpu1.throttleReasons());
        assertEquals(List.of(), gpu1.processes());
        assertEquals(List.of(), gpu1.processUtilization(), "no process ran: NVML's NOT_FOUND");
        assertEquals(List.of(), gpu1.migInstances());
        // GPM needs two samples: the first pass has every other field and no activity yet.
        assertEquals(GpuField.values().length - GPM_FIELDS.size(), v.size());
        GPM_FIELDS.forEach(f -> assertFalse(v.containsKey(f), f + " on the first pass"));
    }

    @Test
    void gpm_secondPass_readsActivityAsRatiosOnTheGpuThatSupportsIt() throws Exception {
        GpuReading reading =
                readTwice(Map.of("STUB_NVML_GPUS", "2", "STUB_NVML_UNSUPPORTED", "1:gpm"), StubNvml.Build.CURRENT);
        Map<GpuField, Double> gpm = reading.devices().get(0).values();
        assertEquals(0.40, gpm.get(GpuField.SM_ACTIVE), 1e-12);
        assertEquals(0.30, gpm.get(GpuField.SM_OCCUPANCY), 1e-12);
        assertEquals(0.20, gpm.get(GpuField.TENSOR_ACTIVE), 1e-12);
        assertEquals(0.60, gpm.get(GpuField.DRAM_ACTIVE), 1e-12);
        assertEquals(0.01, gpm.get(GpuField.FP64_ACTIVE), 1e-12);
        assertEquals(0.10, gpm.get(GpuField.FP32_ACTIVE), 1e-12);
        assertEquals(0.05, gpm.get(GpuField.FP16_ACTIVE), 1e-12);
        assertEquals(GpuField.values().length, gpm.size());
        Map<GpuField, Double> none = reading.devices().get(1).values();
        GPM_FIELDS.forEach(f -> assertFalse(none.containsKey(f), f + " on a GPU without GPM"));
        assertEquals(0.51, none.get(GpuField.UTILIZATION), 1e-12, "the rest is read as before");
    }

    @Test
    void gpm_metricNvmlMarksUnsupported_isLeftOutForThatGpu() throws Exception {
        GpuReading reading = readTwice(
                Map.of("STUB_NVML_GPUS", "2", "STUB_NVML_UNSUPPORTED", "0:gpm5,0:gpm11"), StubNvml.Build.CURRENT);
        Map<GpuField, Double> gpu0 = reading.devices().get(0).values();
        assertFalse(gpu0.containsKey(GpuField.TENSOR_ACTIVE));
        assertFalse(gpu0.containsKey(GpuField.FP64_ACTIVE));
        assertEquals(0.40, gpu0.get(GpuField.SM_ACTIVE), 1e-12);
        assertEquals(0.21, reading.devices().get(1).values().get(GpuField.TENSOR_ACTIVE), 1e-12);
    }

    @Test
    void gpm_driverWithoutGpmSymbols_readsEverythingElse() throws Exception {
        GpuReading reading = readTwice(Map.of("STUB_NVML_GPUS", "2"), StubNvml.Build.WITHOUT_GPM);
        for (GpuReading.Device gpu : reading.devices()) {
            assertEquals(
                    GpuField.values().length - GPM_FIELDS.size(),
                    gpu.values().size(),
                    gpu.values().toString());
            GPM_FIELDS.forEach(f -> assertFalse(gpu.values().containsKey(f)));
        }
    }

    @Test
    void processUtilization_isReadAfterTheSizeQuery() throws Exception {
        GpuReading reading = read(Map.of(
                "STUB_NVML_GPUS",
                "3",
                "STUB_NVML_PROCESS_UTIL",
                "0:100:30:10,0:101:55:5,2:300:7:1",
                "STUB_NVML_UNSUPPORTED",
                "1:process_util"));
        assertEquals(
                List.of(
                        new GpuReading.ProcessUtilization(100, 0.30, 0.10),
                        new GpuReading.ProcessUtilization(101, 0.55, 0.05)),
                reading.devices().get(0).processUtilization());
        assertNull(reading.devices().get(1).processUtilization(), "NOT_SUPPORTED: unknown, not idle");
        assertEquals(
                List.of(new GpuReading.ProcessUtilization(300, 0.07, 0.01)),
                reading.devices().get(2).processUtilization());
    }

    @Test
    void manyProcessSamples_areAllRead() throws Exception {
        StringBuilder samples = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            samples.append(i == 0 ? "" : ",").append("0:").append(2000 + i).append(":1:1");
        }
        GpuReading.Device gpu = read(Map.of("STUB_NVML_PROCESS_UTIL", samples.toString()))
                .devices()
                .get(0);
        assertEquals(50, gpu.processUtilization().size());
    }

    @Test
    void mig_instancesCarryMemoryProfileAndGpmActivity() throws Exception {
        GpuReading reading = readTwice(
                Map.of(
                        "STUB_NVML_GPUS",
                        "2",
                        "STUB_NVML_MIG",
                        "0:1:1g.10gb:9728,0:5:3g.40gb:40192",
                        "STUB_NVML_PROCESSES",
                        "0:200:1048576:5,1:201:2048"),
                StubNvml.Build.CURRENT);
        GpuReading.Device gpu0 = reading.devices().get(0);
        assertTrue(gpu0.inMigMode());
        assertEquals(2, gpu0.migInstances().size());
        GpuReading.MigInstance big = gpu0.migInstances().get(1);
        assertEquals(5, big.id());
        assertEquals("3g.40gb", big.profile());
        assertEquals(40192 * 1048576.0, big.values().get(GpuField.MEMORY_TOTAL));
        assertEquals(40192 * 1048576.0 / 4, big.values().get(GpuField.MEMORY_USED));
        assertEquals(0.45, big.values().get(GpuField.SM_ACTIVE), 1e-12);
        assertEquals(0.41, gpu0.migInstances().get(0).values().get(GpuField.SM_ACTIVE), 1e-12);
        assertEquals(List.of(new GpuReading.GpuProcess(200, 1048576, 5)), gpu0.processes());
        assertNull(gpu0.processUtilization(), "NVML has no per-process activity in MIG mode");
        GpuReading.Device gpu1 = reading.devices().get(1);
        assertFalse(gpu1.inMigMode());
        assertEquals(List.of(new GpuReading.GpuProcess(201, 2048)), gpu1.processes());
    }

    @Test
    void memoryAbove32Bits_isExact() throws Exception {
        long total = 103_079_215_104L; // 96 GiB
        GpuReading.Device gpu = read(Map.of("STUB_NVML_MEMORY_TOTAL", Long.toString(total)))
                .devices()
                .get(0);
        assertEquals((double) total, gpu.values().get(GpuField.MEMORY_TOTAL));
        assertEquals(42_949_672_960.0, gpu.values().get(GpuField.MEMORY_USED));
        assertEquals(total - 42_949_672_960.0, gpu.values().get(GpuField.MEMORY_FREE));
    }

    @Test
    void fieldsNotSupportedByOneGpu_areLeftOutForThatGpuOnly() throws Exception {
        GpuReading reading = read(Map.of(
                "STUB_NVML_GPUS",
                "2",
                "STUB_NVML_UNSUPPORTED",
                "1:fan,1:power,1:ecc,1:throttle,1:processes,1:utilization,"
                        + "1:pcie_replay,1:memory_temperature,1:nvlink"));
        GpuReading.Device gpu0 = reading.devices().get(0);
        GpuReading.Device gpu1 = reading.devices().get(1);
        assertEquals(GpuField.values().length - GPM_FIELDS.size(), gpu0.values().size());
        for (GpuField gone : List.of(
                GpuField.FAN_SPEED,
                GpuField.POWER,
                GpuField.ECC_CORRECTED,
                GpuField.ECC_UNCORRECTED,
                GpuField.UTILIZATION,
                GpuField.MEMORY_UTILIZATION,
                GpuField.PCIE_REPLAYS,
                GpuField.MEMORY_TEMPERATURE,
                GpuField.NVLINK_TX,
                GpuField.NVLINK_RX)) {
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
            procs.append(i == 0 ? "" : ",")
                    .append("0:")
                    .append(1000 + i)
                    .append(':')
                    .append((i + 1) * 5_000_000_000L);
        }
        GpuReading.Device gpu =
                read(Map.of("STUB_NVML_PROCESSES", procs.toString())).devices().get(0);
        assertEquals(40, gpu.processes().size());
        assertEquals(
                new GpuReading.GpuProcess(1039, 200_000_000_000L),
                gpu.processes().get(39));
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
