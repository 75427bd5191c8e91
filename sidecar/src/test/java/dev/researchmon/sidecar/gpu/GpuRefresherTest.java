package dev.researchmon.sidecar.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How often the refresher looks for NVML when it cannot have it; the real library's cases are in GpuRefresherIT. */
class GpuRefresherTest {
    private static final String MISSING =
            "NVML library libnvidia-ml.so.1 cannot be loaded (no NVIDIA driver here?): not found";

    /** Opens a reader of no GPU once {@code installed}, else fails as a missing library does. */
    private static GpuRefresher.ReaderFactory factory(AtomicInteger opens, AtomicBoolean installed) {
        return () -> {
            opens.incrementAndGet();
            if (!installed.get()) {
                throw new NvmlLibraryMissingException(MISSING, new UnsatisfiedLinkError("not found"));
            }
            return new GpuReader() {
                @Override
                public GpuReading read() {
                    return new GpuReading("550.0", "12.550.0", List.of());
                }

                @Override
                public void close() {}
            };
        };
    }

    private static void awaitReason(GpuRefresher refresher, String reason) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!reason.equals(refresher.current().unavailableReason()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(reason, refresher.current().unavailableReason());
    }

    @Test
    void missingLibrary_isLookedForOnlyEveryRetry_whileEachPassStillSaysWhy_andIsFoundThen() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        AtomicBoolean installed = new AtomicBoolean();
        try (GpuRefresher refresher =
                new GpuRefresher(factory(opens, installed), Duration.ofMillis(10), null, Duration.ofSeconds(2))) {
            refresher.start();
            assertTrue(refresher.awaitFirstRefresh(Duration.ofSeconds(5)));
            long first = refresher.current().takenAtNanos();
            Thread.sleep(300);
            GpuState later = refresher.current();
            assertTrue(later.takenAtNanos() > first, "passes go on");
            assertEquals(MISSING, later.unavailableReason());
            assertEquals(1, opens.get(), "one look for the library in ~30 passes");

            installed.set(true); // the driver is installed: found at the next look
            awaitReason(refresher, "NVML reports no GPU");
            assertTrue(opens.get() <= 3, opens.get() + " looks");
        }
    }

    @Test
    void driverThatFailsToInitialise_isTriedAgainEachPass() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        GpuRefresher.ReaderFactory failing = () -> {
            opens.incrementAndGet();
            throw new GpuUnavailableException("nvmlInit_v2 failed: NVML error 9 (Driver Not Loaded)");
        };
        try (GpuRefresher refresher = new GpuRefresher(failing, Duration.ofMillis(10), null, Duration.ofSeconds(30))) {
            refresher.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (opens.get() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(opens.get() >= 5, opens.get() + " tries");
            assertEquals(
                    "nvmlInit_v2 failed: NVML error 9 (Driver Not Loaded)",
                    refresher.current().unavailableReason());
        }
    }
}
