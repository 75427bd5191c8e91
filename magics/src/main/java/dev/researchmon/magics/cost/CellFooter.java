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
        String text = line(c);
        // only a GPU's name can hold a character HTML must escape: the rest is numbers and our words
        String html = HTML_OPEN + (c.gpus().isEmpty() ? text : Html.escape(text)) + "</div>";
        return Display.html(html, text);
    }

    private static final String HTML_OPEN = "<div class=\"research-cell-cost\" style=\"font-size:smaller;color:#777\">";

    /**
     * The footer's text, written into one builder: it is made after every cell, in code the JIT has
     * not compiled yet (once per cell is never hot), where each intermediate string costs.
     */
    static String line(CellCost c) {
        StringBuilder sb = new StringBuilder(128).append(PREFIX).append(c.executionCount());
        seconds(sb.append(": wall "), c.wall().toNanos());
        measuredSeconds(sb.append(" | cpu "), c.cpuNanos());
        measuredBytes(sb.append(" | allocated "), c.allocatedBytes());
        sb.append(" | gc ").append(c.gcPauses()).append(c.gcPauses() == 1 ? " pause, " : " pauses, ");
        seconds(sb, c.gcNanos());
        measuredBytes(sb.append(" | peak heap "), c.peakHeapBytes());
        for (CellCost.GpuSpent g : c.gpus()) {
            gpu(sb.append(" | gpu "), g);
        }
        return sb.toString();
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
                    measuredSeconds(new StringBuilder(), c.cpuNanos()).toString(),
                    measuredBytes(new StringBuilder(), c.allocatedBytes()).toString(),
                    seconds(c.gcNanos()) + " (" + c.gcPauses() + ")",
                    measuredBytes(new StringBuilder(), c.peakHeapBytes()).toString(),
                    gpu.isEmpty() ? "-" : String.join("; ", gpu));
        }
        return t.display();
    }

    private static String gpu(CellCost.GpuSpent g) {
        return gpu(new StringBuilder(), g).toString();
    }

    private static StringBuilder gpu(StringBuilder sb, CellCost.GpuSpent g) {
        seconds(sb.append(g.gpu()).append(": "), (long) (g.busySeconds() * 1e9)).append(", ");
        return fixed(sb, g.joules(), 1).append(" J");
    }

    /** What a field reads that was not measured (negative in {@link CellCost}). */
    private static final String NOT_MEASURED = "n/a";

    private static StringBuilder measuredSeconds(StringBuilder sb, long nanos) {
        return nanos < 0 ? sb.append(NOT_MEASURED) : seconds(sb, nanos);
    }

    private static StringBuilder measuredBytes(StringBuilder sb, long b) {
        return b < 0 ? sb.append(NOT_MEASURED) : bytes(sb, b);
    }

    static String seconds(long nanos) {
        return seconds(new StringBuilder(), nanos).toString();
    }

    static StringBuilder seconds(StringBuilder sb, long nanos) {
        if (nanos < 1_000_000) {
            return fixed(sb, nanos / 1e3, 0).append(" us");
        }
        if (nanos < 1_000_000_000) {
            return fixed(sb, nanos / 1e6, 1).append(" ms");
        }
        return fixed(sb, nanos / 1e9, 2).append(" s");
    }

    static StringBuilder bytes(StringBuilder sb, long b) {
        if (b < 1_000_000) {
            return fixed(sb, b / 1e3, 1).append(" kB");
        }
        if (b < 1_000_000_000) {
            return fixed(sb, b / 1e6, 1).append(" MB");
        }
        return fixed(sb, b / 1e9, 2).append(" GB");
    }

    /** {@code value} with 0 to 2 digits after the point, rounded half up, as {@link #fixed(StringBuilder, double, int)}. */
    static String fixed(double value, int decimals) {
        return fixed(new StringBuilder(), value, decimals).toString();
    }

    /**
     * Appends {@code value} with 0 to 2 digits after the point, rounded half up. Not String.format:
     * a footer is made after every cell, and the format strings' parsing made up most of its cost,
     * about 0.1 ms a cell while its code is not yet compiled (bench/magics/cell_footer_cost.py).
     */
    static StringBuilder fixed(StringBuilder sb, double value, int decimals) {
        long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
        long units = Math.round(Math.abs(value) * scale);
        if (value < 0 && units != 0) {
            sb.append('-');
        }
        sb.append(units / scale);
        if (decimals > 0) {
            long fraction = units % scale;
            sb.append('.');
            if (decimals == 2 && fraction < 10) {
                sb.append('0');
            }
            sb.append(fraction);
        }
        return sb;
    }
}
