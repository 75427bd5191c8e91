package dev.researchmon.magics.cost;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.render.Html;
import dev.researchmon.magics.render.Table;
import java.util.ArrayList;
import java.util.List;

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
            parts.add("gpu " + gpu(g));
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
            c.gpus().forEach(g -> gpu.add(gpu(g)));
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

    private static String gpu(CellCost.GpuSpent g) {
        return g.gpu() + ": " + seconds((long) (g.busySeconds() * 1e9)) + ", " + fixed(g.joules(), 1) + " J";
    }

    static String seconds(long nanos) {
        if (nanos < 1_000_000) {
            return fixed(nanos / 1e3, 0) + " us";
        }
        if (nanos < 1_000_000_000) {
            return fixed(nanos / 1e6, 1) + " ms";
        }
        return fixed(nanos / 1e9, 2) + " s";
    }

    static String bytes(long b) {
        if (b < 1_000_000) {
            return fixed(b / 1e3, 1) + " kB";
        }
        if (b < 1_000_000_000) {
            return fixed(b / 1e6, 1) + " MB";
        }
        return fixed(b / 1e9, 2) + " GB";
    }

    /**
     * {@code value} with 0 to 2 digits after the point, rounded half up. Not String.format: a
     * footer is made after every cell, and the format strings' parsing made up most of its cost,
     * about 0.1 ms a cell while its code is not yet compiled (bench/magics/cell_footer_cost.py).
     */
    static String fixed(double value, int decimals) {
        long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
        long units = Math.round(Math.abs(value) * scale);
        String sign = value < 0 && units != 0 ? "-" : "";
        if (decimals == 0) {
            return sign + units;
        }
        String fraction = Long.toString(units % scale);
        return sign + units / scale + "." + "0".repeat(decimals - fraction.length()) + fraction;
    }
}
