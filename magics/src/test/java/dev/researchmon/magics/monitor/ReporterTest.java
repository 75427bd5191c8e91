package dev.researchmon.magics.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.report.ReportAck;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The reporter's threading: it never makes the cell wait and it counts failures. The real sidecar
 * on the other end is exercised by the notebooks' ITs; here the sink is a latch so that "the
 * sidecar hangs" can be held for as long as the test needs.
 */
class ReporterTest {

    @Test
    void nudge_returnsAtOnce_evenWhileASendHangs_andManyNudgesCoalesce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstSendStarted = new CountDownLatch(1);
        AtomicInteger sends = new AtomicInteger();
        ReportSink hanging = new ReportSink() {
            @Override
            public ReportAck send(MetricSnapshots snapshots, long sequence) throws Exception {
                sends.incrementAndGet();
                firstSendStarted.countDown();
                release.await();
                return new ReportAck(0, 0);
            }

            @Override
            public void forget() {}
        };
        Reporter r = new Reporter(
                MetricSnapshots::of, hanging, Duration.ofHours(1), Duration.ofMillis(10), Clock.systemUTC());
        r.start();
        assertTrue(firstSendStarted.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            r.nudge();
        }
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(tookMillis < 1000, "1000 nudges took " + tookMillis + " ms while the sidecar hung");
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (r.status().reportsSent() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        r.stop();
        assertEquals(
                3,
                sends.get(),
                "1000 nudges during one hanging send coalesce into one more report, "
                        + "and stopping sends the last one");
    }

    @Test
    void nudges_reportAtOnceAfterAQuietSpell_butABurstOnlyOncePerGap() throws Exception {
        java.util.List<Long> sentAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        ReportSink counting = new ReportSink() {
            @Override
            public ReportAck send(MetricSnapshots snapshots, long sequence) {
                sentAt.add(System.nanoTime());
                return new ReportAck(0, 0);
            }

            @Override
            public void forget() {}
        };
        // A gap wide enough that a loaded machine's scheduling noise (tens to hundreds of ms) cannot
        // blur "waited for the gap" into "went out at once".
        Reporter r = new Reporter(
                MetricSnapshots::of, counting, Duration.ofHours(1), Duration.ofMillis(2000), Clock.systemUTC());
        r.start();
        awaitSends(r, 1);
        for (int i = 0; i < 100; i++) { // a burst of quick cells right after a report
            r.nudge();
        }
        awaitSends(r, 2);
        Thread.sleep(300);
        assertEquals(2, sentAt.size(), "the burst shared one report");
        assertTrue(sentAt.get(1) - sentAt.get(0) >= TimeUnit.MILLISECONDS.toNanos(1990), "kept the gap");

        Thread.sleep(2200); // quiet for longer than the gap
        long nudgedAt = System.nanoTime();
        r.nudge();
        awaitSends(r, 3);
        r.stop();
        assertTrue(
                sentAt.get(2) - nudgedAt < TimeUnit.MILLISECONDS.toNanos(1500),
                "after a quiet spell the report goes out at once, not a gap later");
    }

    private static void awaitSends(Reporter r, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (r.status().reportsSent() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, r.status().reportsSent());
    }

    @Test
    void failingSends_areCountedWithTheirMessage_notThrown() throws Exception {
        ReportSink down = new ReportSink() {
            @Override
            public ReportAck send(MetricSnapshots snapshots, long sequence) throws Exception {
                throw new java.io.IOException("sidecar at http://127.0.0.1:1 is down");
            }

            @Override
            public void forget() {}
        };
        Reporter r = new Reporter(
                MetricSnapshots::of, down, Duration.ofMillis(20), Duration.ofMillis(10), Clock.systemUTC());
        r.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (r.status().failures() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        r.stop();
        assertTrue(r.status().failures() >= 3);
        assertEquals(0, r.status().reportsSent());
        assertEquals(
                "sidecar at http://127.0.0.1:1 is down", r.status().lastError().orElseThrow());
    }

    @Test
    void finalReport_sendsWhatTheLastCellsChanged_withoutWaitingForTheGap() throws Exception {
        java.util.List<Long> sequences = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger cells = new AtomicInteger();
        java.util.List<Integer> cellsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ReportSink recording = new ReportSink() {
            @Override
            public ReportAck send(MetricSnapshots snapshots, long sequence) {
                sequences.add(sequence);
                cellsSeen.add(cells.get());
                return new ReportAck(0, 0);
            }

            @Override
            public void forget() {}
        };
        // a gap of an hour: without the final report the last cells would never be sent
        Reporter r = new Reporter(
                MetricSnapshots::of, recording, Duration.ofHours(1), Duration.ofHours(1), Clock.systemUTC());
        r.start();
        awaitSends(r, 1);
        cells.set(3);
        r.nudge();
        r.finalReport(); // what the shutdown hook runs when the kernel exits
        assertEquals(2, r.status().reportsSent(), "one report at start, one on exit");
        assertEquals(java.util.List.of(0, 3), cellsSeen);
        assertEquals(java.util.List.of(1L, 2L), sequences, "the final report's sequence follows the others");
        r.stop();
        assertEquals(2, sequences.size(), "nothing is sent after the final report");
    }

    @Test
    void stop_sendsALastReport_thenForgets() throws Exception {
        java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger cells = new AtomicInteger();
        ReportSink recording = new ReportSink() {
            @Override
            public ReportAck send(MetricSnapshots snapshots, long sequence) {
                calls.add("send " + cells.get());
                return new ReportAck(0, 0);
            }

            @Override
            public void forget() {
                calls.add("forget");
            }
        };
        // a gap of an hour: the %%timed cell just before %monitoring off would otherwise be lost
        Reporter r = new Reporter(
                MetricSnapshots::of, recording, Duration.ofHours(1), Duration.ofHours(1), Clock.systemUTC());
        r.start();
        awaitSends(r, 1);
        cells.set(1);
        r.nudge();
        r.stop();
        assertEquals(java.util.List.of("send 0", "send 1", "forget"), calls);
    }

    @Test
    void whatTheSidecarDropped_isInTheStatus_untilAReportIsAcceptedWhole() throws Exception {
        java.util.concurrent.atomic.AtomicReference<ReportAck> answer =
                new java.util.concurrent.atomic.AtomicReference<>(new ReportAck(
                        2,
                        1,
                        java.util.List.of(new ReportAck.Drop("reserved_name", 1, java.util.List.of("process_rows")))));
        ReportSink sidecar = new ReportSink() {
            @Override
            public ReportAck send(MetricSnapshots snapshots, long sequence) {
                return answer.get();
            }

            @Override
            public void forget() {}
        };
        Reporter r = new Reporter(
                MetricSnapshots::of, sidecar, Duration.ofHours(1), Duration.ofMillis(1), Clock.systemUTC());
        r.start();
        awaitSends(r, 1);
        assertEquals(1, r.status().rejectedSeries());
        assertEquals(
                java.util.List.of("process_rows"), r.status().rejected().get(0).examples());

        answer.set(new ReportAck(2, 0));
        r.nudge();
        awaitSends(r, 2);
        assertEquals(0, r.status().rejectedSeries());
        r.stop();
    }
}
