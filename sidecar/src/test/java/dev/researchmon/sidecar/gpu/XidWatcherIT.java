package dev.researchmon.sidecar.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.testkit.StubNvml;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XID events from the stub NVML, counted on the watcher's own thread and exposed by the collector. */
class XidWatcherIT {
    @TempDir
    Path tmp;

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }

    private static List<String> series(Iterable<MetricSnapshot> snapshots, String name) {
        List<String> out = new ArrayList<>();
        for (MetricSnapshot s : snapshots) {
            if (!s.getMetadata().getPrometheusName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot p : s.getDataPoints()) {
                double value = s instanceof CounterSnapshot
                        ? ((CounterSnapshot.CounterDataPointSnapshot) p).getValue()
                        : ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue();
                out.add(p.getLabels().get("gpu") + ":" + p.getLabels().get("xid") + "=" + value);
            }
        }
        return out;
    }

    private static long total(XidCounts counts) {
        return counts.counts().stream().mapToLong(XidCounts.Count::value).sum();
    }

    @Test
    void xidEvents_areCountedPerGpuAndCode_andExposed() throws Exception {
        Path lib = StubNvml.configured(
                tmp.resolve("xid"), Map.of("STUB_NVML_GPUS", "2", "STUB_NVML_XID", "0:79,0:79,1:48,1:5000"));
        try (GpuRefresher refresher =
                        new GpuRefresher(() -> NvmlGpuReader.open(Optional.of(lib)), Duration.ofMillis(200));
                XidWatcher xids = new XidWatcher(() -> NvmlXidEvents.open(Optional.of(lib)), Duration.ofMillis(100))) {
            refresher.start();
            xids.start();
            assertTrue(refresher.awaitFirstRefresh(Duration.ofSeconds(5)));
            await(() -> total(xids.current()) == 4);
            GpuCollector collector = new GpuCollector(refresher, Map::of, xids::current);
            var snapshots = collector.collect();
            assertEquals(List.of("0:79=2.0", "1:48=1.0", "1:other=1.0"), series(snapshots, "gpu_xid_errors"));
            assertEquals(List.of("0:null=79.0", "1:null=5000.0"), series(snapshots, "gpu_last_xid_error"));
            XidCounts.Count first = xids.current().counts().get(0);
            assertEquals(
                    new XidCounts.Device(0, "GPU-00000000-0000-0000-0000-000000000000", "Stub GPU 0"), first.device());
            // Two NVML users in one process: the refresher still reads, and no event came twice.
            Thread.sleep(300);
            assertTrue(refresher.current().available());
            assertEquals(4, total(xids.current()));
        }
    }

    @Test
    void gpuThatCannotRegister_hasNoXidSeries_andTheRestKeepsWorking() throws Exception {
        Path lib = StubNvml.configured(
                tmp.resolve("unsupported"),
                Map.of("STUB_NVML_GPUS", "2", "STUB_NVML_XID", "0:13,1:48", "STUB_NVML_UNSUPPORTED", "0:events"));
        try (GpuRefresher refresher =
                        new GpuRefresher(() -> NvmlGpuReader.open(Optional.of(lib)), Duration.ofMillis(200));
                XidWatcher xids = new XidWatcher(() -> NvmlXidEvents.open(Optional.of(lib)), Duration.ofMillis(100))) {
            refresher.start();
            xids.start();
            await(() -> total(xids.current()) == 1);
            assertEquals(
                    "1",
                    Integer.toString(xids.current().counts().get(0).device().gpu()));
            assertTrue(refresher.awaitFirstRefresh(Duration.ofSeconds(5)));
            assertTrue(refresher.current().available());
            assertEquals(2, refresher.current().reading().devices().size());
        }
    }

    /** An NVML from before the event API: init and shutdown, nothing else. */
    private Path oldNvml() throws Exception {
        Path source = tmp.resolve("old_nvml.c");
        Files.writeString(source, "int nvmlInit_v2(void) { return 0; }\nint nvmlShutdown(void) { return 0; }\n");
        Path lib = tmp.resolve("old").resolve("libnvidia-ml.so.1");
        Files.createDirectories(lib.getParent());
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", lib.toString(), source.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(gcc.getInputStream().readAllBytes());
        assertEquals(0, gcc.waitFor(), log);
        return lib;
    }

    @Test
    void nvmlWithoutTheEventApi_failsToOpen_andTheWatcherStaysEmptyAndStops() throws Exception {
        Path old = oldNvml();
        GpuUnavailableException e =
                assertThrows(GpuUnavailableException.class, () -> NvmlXidEvents.open(Optional.of(old)));
        assertTrue(e.getMessage().contains("no event API"), e.getMessage());
        XidWatcher xids = new XidWatcher(() -> NvmlXidEvents.open(Optional.of(old)), Duration.ofMillis(50));
        xids.start();
        Thread.sleep(200);
        assertEquals(XidCounts.EMPTY, xids.current());
        long start = System.nanoTime();
        xids.close();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "close waits for the thread");
    }

    @Test
    void close_stopsTheEventThread() throws Exception {
        Path lib = StubNvml.configured(tmp.resolve("stop"), Map.of());
        XidWatcher xids = new XidWatcher(() -> NvmlXidEvents.open(Optional.of(lib)), Duration.ofMillis(100));
        xids.start();
        Thread.sleep(200);
        xids.close();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("gpu-xid-events") && t.isAlive()));
    }
}
