package dev.researchmon.magics.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.researchmon.magics.TestContext;
import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.CellUsage;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.command.MonitoringMagic;
import dev.researchmon.magics.monitor.MonitoringSession;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code %monitoring cells}: footers under cells while on, none while off, and the table of the last cells. */
class CellFootersTest {

    private static Display monitoring(MonitoringSession session, TestContext ctx, String args) throws Exception {
        return new MonitoringMagic(session)
                .execute(new MagicCall("monitoring", args, List.of(args.split(" ")), null), ctx);
    }

    /** What the kernel does around a cell: start, finish with the threads' usage, answer. */
    private static void runCell(TestContext ctx, int n, CellUsage usage) {
        ctx.runCell(n, CellOutcome.OK, usage);
    }

    @Test
    void cellsOn_addsAFooterToEachLaterCell_andCellsOffStops() throws Exception {
        MonitoringSession session = new MonitoringSession(Map.of(), new PrometheusRegistry());
        TestContext ctx = new TestContext("k", "nb.ipynb");
        assertTrue(ctx.listeners.isEmpty(), "off by default: no listener, no per-cell cost");
        monitoring(session, ctx, "cells on");
        runCell(ctx, 2, new CellUsage(Duration.ofMillis(1500), 1_200_000_000L, 104_857_600L));
        runCell(ctx, 3, new CellUsage(Duration.ofNanos(300_000), 250_000L, 2_000L));
        assertEquals(2, ctx.displayed.size());
        String footer = ctx.displayed.get(0).data().get("text/plain");
        assertEquals(
                "cell 2: wall 1.50 s | cpu 1.20 s | allocated 104.9 MB | gc ",
                footer.substring(0, footer.indexOf("gc ") + 3));
        assertTrue(footer.contains("peak heap "), footer);
        assertTrue(ctx.displayed.get(0).data().get("text/html").contains("research-cell-cost"));
        assertTrue(ctx.displayed.get(1).data().get("text/plain").startsWith("cell 3: wall 300 us | cpu 250 us"));

        String table = monitoring(session, ctx, "cells").data().get("text/plain");
        assertTrue(table.contains("104.9 MB") && table.lines().count() >= 4, table);

        monitoring(session, ctx, "cells off");
        assertTrue(ctx.listeners.isEmpty(), "footers off and no monitoring: the listener is gone");
        runCell(ctx, 4, CellUsage.wallOnly(Duration.ofMillis(1)));
        assertEquals(2, ctx.displayed.size(), "no footer once off (the table went back as the magic's result)");
    }

    @Test
    void footer_isOneLineOfEveryField_andItsHtmlEscapesAGpusName() {
        CellCost c = new CellCost(
                7,
                CellOutcome.OK,
                Duration.ofMillis(1200),
                1_180_000_000L,
                104_857_600L,
                3_100_000L,
                2,
                210_400_000L,
                List.of(new CellCost.GpuSpent("0", 0.84, 212.04), new CellCost.GpuSpent("<b>1</b>", 0.0004, 0.05)));
        Display footer = CellFooter.render(c);
        String text = "cell 7: wall 1.20 s | cpu 1.18 s | allocated 104.9 MB | gc 2 pauses, 3.1 ms"
                + " | peak heap 210.4 MB | gpu 0: 840.0 ms, 212.0 J | gpu <b>1</b>: 400 us, 0.1 J";
        assertEquals(text, footer.data().get("text/plain"));
        assertTrue(footer.data()
                .get("text/html")
                .endsWith(">" + text.replace("<b>1</b>", "&lt;b&gt;1&lt;/b&gt;") + "</div>"));

        CellCost unmeasured =
                new CellCost(8, CellOutcome.ERROR, Duration.ofNanos(999_499), -1, -1, 0, 1, -1, List.of());
        assertEquals(
                "cell 8: wall 999 us | cpu n/a | allocated n/a | gc 1 pause, 0 us | peak heap n/a",
                CellFooter.render(unmeasured).data().get("text/plain"));
    }

    /** A session with monitoring on, reporting to a stand-in sidecar that accepts everything. */
    private interface WithMonitoring {
        void run(MonitoringSession session, TestContext ctx) throws Exception;
    }

    private static void withMonitoringOn(WithMonitoring test) throws Exception {
        HttpServer sidecar = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sidecar.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sidecar.start();
        Path home = Files.createTempDirectory("cell-footers-monitoring");
        try {
            MonitoringSession session = new MonitoringSession(
                    Map.of(
                            "RESEARCH_MONITOR_SIDECAR_URL",
                            "http://127.0.0.1:" + sidecar.getAddress().getPort(),
                            "RESEARCH_MONITOR_HOME",
                            home.toString()),
                    new PrometheusRegistry());
            TestContext ctx = new TestContext("k", "nb.ipynb");
            monitoring(session, ctx, "on");
            monitoring(session, ctx, "cells on");
            try {
                test.run(session, ctx);
            } finally {
                monitoring(session, ctx, "off");
            }
        } finally {
            sidecar.stop(0);
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * With monitoring and footers on, a cell's tail does not ask who the kernel is: in the kernel
     * that may be an HTTP call to the Jupyter server for the notebook's name, on the cell's thread.
     * (The reporter asks, on its own thread, once a report.)
     */
    @Test
    void monitoringAndCellsOn_aCellDoesNotAskForTheKernelsIdentity() throws Exception {
        withMonitoringOn((session, ctx) -> {
            long asked = ctx.identityAskedBy.stream()
                    .filter(t -> t == Thread.currentThread())
                    .count();
            for (int n = 2; n <= 40; n++) {
                runCell(ctx, n, new CellUsage(Duration.ofMillis(2), 1_000_000L, 1_000L));
            }
            assertEquals(
                    asked,
                    ctx.identityAskedBy.stream()
                            .filter(t -> t == Thread.currentThread())
                            .count());
            assertTrue(ctx.displayed.stream()
                    .anyMatch(d -> d.data().get("text/plain").startsWith("cell 40: ")));
        });
    }

    private static long cellsRecorded(MonitoringSession session) {
        return session.scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals("notebook_cell_cpu_seconds"))
                .map(m -> (HistogramSnapshot) m)
                .mapToLong(h -> h.getDataPoints().get(0).getCount())
                .sum();
    }

    /**
     * The footer is the cell's output, before its idle status; the notebook's histograms wait until
     * the cell is answered, so that a cold recording is not on the round trip, and the last-cells
     * table has the cell by the next request.
     */
    @Test
    void monitoringAndCellsOn_theFooterComesWithTheCell_theRecordingOnceItIsAnswered() throws Exception {
        withMonitoringOn((session, ctx) -> {
            long before = cellsRecorded(session);
            ctx.listeners.forEach(l -> l.cellStarted(2));
            ctx.listeners.forEach(
                    l -> l.cellFinished(2, CellOutcome.OK, new CellUsage(Duration.ofMillis(3), 2_000_000L, 1_000L)));
            assertTrue(ctx.displayed
                    .get(ctx.displayed.size() - 1)
                    .data()
                    .get("text/plain")
                    .startsWith("cell 2: "));
            assertEquals(before, cellsRecorded(session), "not recorded before the idle status");
            assertTrue(session.lastCells().isEmpty(), session.lastCells().toString());

            ctx.listeners.forEach(l -> l.cellAnswered(2));
            assertEquals(before + 1, cellsRecorded(session));
            assertEquals(2, session.lastCells().get(0).executionCount());

            ctx.listeners.forEach(l -> l.cellAnswered(2));
            assertEquals(before + 1, cellsRecorded(session), "a cell is recorded once");
        });
    }

    @Test
    void meter_seesThePauseOfACollectionDuringTheCell() {
        CellCostMeter meter = new CellCostMeter();
        meter.start();
        System.gc();
        CellCost c = meter.finish(1, CellOutcome.OK, CellUsage.wallOnly(Duration.ofMillis(5)), List.of());
        assertTrue(c.gcPauses() >= 1, c.toString());
        assertTrue(c.peakHeapBytes() > 0, c.toString());
    }

    /** The peak is the heap just before the cell's collection, though the cell ends with less. */
    @Test
    void meter_peakIsTheHeapBeforeACollectionDuringTheCell() {
        CellCostMeter meter = new CellCostMeter();
        for (int cell = 1; cell <= 3; cell++) {
            meter.start();
            byte[] big = new byte[64_000_000];
            big[big.length - 1] = 1;
            big = null;
            System.gc();
            CellCost c = meter.finish(cell, CellOutcome.OK, CellUsage.wallOnly(Duration.ofMillis(5)), List.of());
            long after =
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            assertTrue(c.peakHeapBytes() >= 64_000_000, "cell " + cell + ": " + c);
            assertTrue(c.peakHeapBytes() > after + 32_000_000, "cell " + cell + ": " + c + ", heap after " + after);
        }
    }

    /** A collection just before the cell, the collector's last when the cell ends, is not the cell's peak. */
    @Test
    void meter_collectionBeforeTheCell_isNotItsPeak() {
        CellCostMeter meter = new CellCostMeter();
        meter.start();
        meter.finish(1, CellOutcome.OK, CellUsage.wallOnly(Duration.ofMillis(1)), List.of());
        for (int cell = 2; cell <= 4; cell++) {
            byte[] big = new byte[64_000_000];
            big[big.length - 1] = 1;
            big = null;
            System.gc();
            long base = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            meter.start();
            CellCost c = meter.finish(cell, CellOutcome.OK, CellUsage.wallOnly(Duration.ofMillis(1)), List.of());
            assertEquals(0, c.gcPauses(), c.toString());
            assertTrue(c.peakHeapBytes() < base + 32_000_000, "cell " + cell + ": " + c + ", heap at start " + base);
        }
    }

    /**
     * Two collections in one cell: the peak is at least the heap before the second, the one the
     * collector keeps, and what the cell held at its end.
     */
    @Test
    void meter_twoCollectionsInACell_peakIsAtLeastTheLastOnesHeap() {
        CellCostMeter meter = new CellCostMeter();
        meter.start();
        byte[] first = new byte[16_000_000];
        first[0] = 1;
        System.gc();
        byte[] second = new byte[64_000_000];
        second[0] = 1;
        first = null;
        second = null;
        System.gc();
        CellCost c = meter.finish(1, CellOutcome.OK, CellUsage.wallOnly(Duration.ofMillis(5)), List.of());
        assertTrue(c.gcPauses() >= 2, c.toString());
        assertTrue(c.peakHeapBytes() >= 64_000_000, c.toString());
    }

    @Test
    void monitoringCells_badWord_isTheUsageLine() {
        MonitoringSession session = new MonitoringSession(Map.of(), new PrometheusRegistry());
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.researchmon.magics.api.MagicUsageException.class,
                () -> monitoring(session, new TestContext("k", ""), "cells maybe"));
        assertTrue(
                e.getMessage().startsWith("usage: %monitoring on|off|status | %monitoring cells [on|off]"),
                e.getMessage());
    }

    @Test
    void fixed_writesWhatFormatWrites_forFootersValues() {
        assertEquals("0", CellFooter.fixed(0.4, 0));
        assertEquals("1", CellFooter.fixed(0.5, 0));
        assertEquals("999", CellFooter.fixed(999.4, 0));
        assertEquals("104.9", CellFooter.fixed(104.857_6, 1));
        assertEquals("0.05", CellFooter.fixed(0.05, 2));
        assertEquals("2.00", CellFooter.fixed(1.999, 2));
        assertEquals("-3.5", CellFooter.fixed(-3.46, 1));
        assertEquals("0.0", CellFooter.fixed(-0.01, 1));
        java.util.Random random = new java.util.Random(28);
        for (int i = 0; i < 100_000; i++) {
            double v = random.nextDouble() * Math.pow(10, random.nextInt(7));
            for (int decimals = 0; decimals <= 2; decimals++) {
                double scaled = v * Math.pow(10, decimals);
                if (Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6) {
                    continue; // a tie: the two may round a double's last bit differently
                }
                assertEquals(
                        String.format(java.util.Locale.ROOT, "%." + decimals + "f", v),
                        CellFooter.fixed(v, decimals),
                        v + " to " + decimals);
            }
        }
    }
}
