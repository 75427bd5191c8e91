package dev.researchmon.magics.dashboard;

import dev.researchmon.magics.render.SvgLineChart;
import java.util.List;

/**
 * What one panel shows: its lines (a time series panel) or its numbers (a stat panel), or why it
 * shows nothing.
 *
 * @param panel       the dashboard's panel
 * @param lines       the series to draw, legend names decided (time series panels)
 * @param stats       the numbers, formatted in the panel's unit (stat panels)
 * @param emptyReason {@code null} when there is something to show, else one sentence
 */
public record PanelResult(Dashboard.Panel panel, List<SvgLineChart.Line> lines, List<Stat> stats, String emptyReason) {

    /** One number of a stat panel and what it is of ({@code ""} when the panel has only one). */
    public record Stat(String name, String value) {}

    public PanelResult {
        lines = List.copyOf(lines);
        stats = List.copyOf(stats);
    }

    public boolean hasData() {
        return emptyReason == null;
    }

    static PanelResult empty(Dashboard.Panel panel, String reason) {
        return new PanelResult(panel, List.of(), List.of(), reason);
    }
}
