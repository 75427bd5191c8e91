package dev.researchmon.sidecar.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.testkit.StubNvml;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refresher keeps NVML off the scrape path: a stuck driver call never holds a scrape. */
class GpuRefresherIT {
    @TempDir
    Path tmp;

    private static double gauge(MetricSnapshots snapshots, String name) {
        for (MetricSnapshot s : snapshots) {
            if (s.getMetadata().getPrometheusName().equals(name)) {
                return ((GaugeSnapshot) s).getDataPoints().get(0).getValue();
            }
        }
        throw new AssertionError("no " + name);
    }

    @Test
    void stuckDriverCall_neverHoldsTheScrape() throws Exception {
        Path lib = StubNvml.configured(tmp.resolve("slow"), Map.of("STUB_NVML_DELAY_MS", "4000"));
        try (GpuRefresher refresher =
                new GpuRefresher(() -> NvmlGpuReader.open(Optional.of(lib)), Duration.ofSeconds(1))) {
            refresher.start();
            GpuCollector collector = new GpuCollector(refresher, Map::of);
            // The first refresh is inside a 4 s driver call now; the scrape answers from the last state.
            assertFalse(refresher.awaitFirstRefresh(Duration.ofMillis(300)));
            MetricSnapshots during = collector.collect();
            assertEquals(0.0, gauge(during, "gpu_nvml_available"));
            assertFalse(collector.lastOutcome().success());
            assertFalse(refresher.awaitFirstRefresh(Duration.ZERO), "the driver call should still be stuck");
            // Once the call returns, the values appear.
            assertTrue(refresher.awaitFirstRefresh(Duration.ofSeconds(10)));
            assertEquals(1.0, gauge(collector.collect(), "gpu_nvml_available"));
            assertTrue(collector.lastOutcome().success());
        }
    }

    @Test
    void nvmlWithoutGpmSymbols_givesAWholeScrapeWithoutGpmFamilies() throws Exception {
        Path lib = StubNvml.configured(tmp.resolve("old"), Map.of("STUB_NVML_GPUS", "2"), StubNvml.Build.WITHOUT_GPM);
        try (GpuRefresher refresher =
                new GpuRefresher(() -> NvmlGpuReader.open(Optional.of(lib)), Duration.ofMillis(100))) {
            refresher.start();
            GpuCollector collector = new GpuCollector(refresher, Map::of);
            // Three passes, so GPM would have had its two samples had the library offered it.
            awaitPasses(refresher, 3);
            MetricSnapshots scrape = collector.collect();
            assertTrue(collector.lastOutcome().success());
            assertEquals(1.0, gauge(scrape, "gpu_nvml_available"));
            assertEquals(0.5, gauge(scrape, "gpu_utilization_ratio"));
            for (MetricSnapshot s : scrape) {
                String name = s.getMetadata().getPrometheusName();
                assertFalse(name.endsWith("_active_ratio") || name.equals("gpu_sm_occupancy_ratio"), name);
            }
        }
    }

    /** Waits (10 s at most) until the refresher has published {@code n} successful passes. */
    private static void awaitPasses(GpuRefresher refresher, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long lastSeen = 0;
        int seen = 0;
        while (seen < n && System.nanoTime() < deadline) {
            GpuState state = refresher.current();
            if (state.available() && state.takenAtNanos() != lastSeen) {
                lastSeen = state.takenAtNanos();
                seen++;
            }
            Thread.sleep(20);
        }
        assertTrue(seen >= n, "only " + seen + " passes in 10 s");
    }

    @Test
    void nvmlThatFailsToInitialise_isReportedAndRetried() throws Exception {
        Path lib = StubNvml.configured(tmp.resolve("down"), Map.of("STUB_NVML_INIT", "9"));
        try (GpuRefresher refresher =
                new GpuRefresher(() -> NvmlGpuReader.open(Optional.of(lib)), Duration.ofMillis(100))) {
            refresher.start();
            assertTrue(refresher.awaitFirstRefresh(Duration.ofSeconds(5)));
            GpuState state = refresher.current();
            assertFalse(state.available());
            assertEquals("nvmlInit_v2 failed: NVML error 9 (Driver Not Loaded)", state.unavailableReason());
            // The driver comes up: the refresher opens NVML again by itself.
            StubNvml.configured(tmp.resolve("down"), Map.of("STUB_NVML_INIT", "0"));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!refresher.current().available() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(
                    refresher.current().available(),
                    String.valueOf(refresher.current().unavailableReason()));
        }
    }
}
