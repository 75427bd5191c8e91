package dev.researchmon.magics.cost;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.render.Html;
import dev.researchmon.magics.render.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one-line cost footer under a cell, and the table of the last cells. Plain text and HTML
 * both, so nbconvert's text and HTML outputs and a saved notebook keep it. Decimal units (MB =
 * 10^6 bytes), as {@code %%time} users read them.
 *
 * <pre>{@code
 * ctx.display(CellFooter.render(cost));
 * // cell 7: wall 1.20 s | cpu 1.18 s | allocated 104.9 MB | gc 2 pauses, 3.1 ms | peak heap 210.4 MB | gpu 0: 0.84 s, 212.0 J
 * }</pre>
 */
public final class CellFooter {
    /** Every footer starts with it: what tests and readers of saved notebooks look for. */
    public static final String PREFIX = "cell ";

    private CellFooter() {}

    public static Display render(CellCost c) {
        List<String> parts = parts(c);
        String text = PREFIX + c.executionCount() + ": " + String.join(" | ", parts);
        String html = "<div class=\"research-cell-cost\" style=\"font-size:smaller;color:#777\">" + Html.escape(text)
                + "</div>";
        return Display.html(html, text);
    }

    private static List<String> parts(CellCost c) {
        List<String> parts = new ArrayList<>();
        parts.add("wall " + seconds(c.wall().toNanos()));
        parts.add("cpu " + (c.cpuNanos() < 0 ? "n/a" : seconds(c.cpuNanos())));
        parts.add("allocated " + (c.allocatedBytes() < 0 ? "n/a" : bytes(c.allocatedBytes())));
        parts.add("gc " + c.gcPauses() + (c.gcPauses() == 1 ? " pause, " : " pauses, ") + seconds(c.gcNanos()));
        parts.add("peak heap " + (c.peakHeapBytes() < 0 ? "n/a" : bytes(c.peakHeapBytes())));
        for (CellCost.GpuSpent g : c.gpus()) {
            parts.add(String.format(
                    Locale.ROOT, "gpu %s: %s, %.1f J", g.gpu(), seconds((long) (g.busySeconds() * 1e9)), g.joules()));
        }
        return parts;
    }

    /** The last cells, oldest first, as {@code %monitoring cells} shows them. */
    public static Display table(List<CellCost> cells) {
        if (cells.isEmpty()) {
            return Display.text("No cell measured yet: %monitoring cells on adds a footer to each cell from now on.");
        }
        Table t = new Table(List.of("cell", "status", "wall", "cpu", "allocated", "gc", "peak heap", "gpu"));
        for (CellCost c : cells) {
            List<String> gpu = new ArrayList<>();
            c.gpus()
                    .forEach(g -> gpu.add(String.format(
                            Locale.ROOT,
                            "%s: %s, %.1f J",
                            g.gpu(),
                            seconds((long) (g.busySeconds() * 1e9)),
                            g.joules())));
            t.row(
                    Integer.toString(c.executionCount()),
                    c.outcome().label(),
                    seconds(c.wall().toNanos()),
                    c.cpuNanos() < 0 ? "n/a" : seconds(c.cpuNanos()),
                    c.allocatedBytes() < 0 ? "n/a" : bytes(c.allocatedBytes()),
                    seconds(c.gcNanos()) + " (" + c.gcPauses() + ")",
                    c.peakHeapBytes() < 0 ? "n/a" : bytes(c.peakHeapBytes()),
                    gpu.isEmpty() ? "-" : String.join("; ", gpu));
        }
        return t.display();
    }

    static String seconds(long nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String bytes(long b) {
        if (b < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", b / 1e3);
        }
        if (b < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", b / 1e9);
    }
}
