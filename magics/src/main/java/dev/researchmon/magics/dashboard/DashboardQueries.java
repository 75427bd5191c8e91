package dev.researchmon.magics.dashboard;

import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.prometheus.PrometheusClient;
import dev.researchmon.magics.prometheus.Series;
import dev.researchmon.magics.render.Legends;
import dev.researchmon.magics.render.SvgLineChart;
import dev.researchmon.magics.render.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks Prometheus for what a panel shows, with the panel's own expressions filled by
 * {@link QueryVariables}: a time series panel through {@code query_range} over the chosen range,
 * a stat panel through an instant query at its end (the last value, Grafana's default). A panel
 * with no series gets its reason from {@link EmptyReasons}.
 *
 * <pre>{@code
 * PanelResult r = new DashboardQueries(prometheus, variables, start, end, step, reasons).query(panel);
 * }</pre>
 */
final class DashboardQueries {
    private final PrometheusClient prometheus;
    private final QueryVariables variables;
    private final Instant start;
    private final Instant end;
    private final Duration step;
    private final EmptyReasons reasons;

    DashboardQueries(
            PrometheusClient prometheus,
            QueryVariables variables,
            Instant start,
            Instant end,
            Duration step,
            EmptyReasons reasons) {
        this.prometheus = prometheus;
        this.variables = variables;
        this.start = start;
        this.end = end;
        this.step = step;
        this.reasons = reasons;
    }

    PanelResult query(Dashboard.Panel panel) {
        List<Legends.Entry> entries = new ArrayList<>();
        try {
            for (Dashboard.Target t : panel.targets()) {
                String promql = variables.fill(t.expr());
                List<Series> result = panel.type() == Dashboard.Type.STAT
                        ? prometheus.instant(promql)
                        : prometheus.range(promql, start, end, step);
                result.forEach(s -> entries.add(new Legends.Entry(s, t.legendFormat())));
            }
        } catch (MagicException e) {
            return PanelResult.empty(panel, e.getMessage());
        }
        List<String> names = Legends.of(entries).names();
        if (panel.type() == Dashboard.Type.STAT) {
            Unit unit = Unit.of(panel.unit());
            List<PanelResult.Stat> stats = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                double v = entries.get(i).series().samples().get(0).value();
                if (panel.decimals() >= 0 && Double.isFinite(v)) {
                    // a count over a range comes extrapolated (1.01 errors): shown as Grafana shows it
                    double scale = Math.pow(10, panel.decimals());
                    v = Math.round(v * scale) / scale;
                }
                if (!Double.isNaN(v)) {
                    stats.add(new PanelResult.Stat(entries.size() == 1 ? "" : names.get(i), unit.format(v)));
                }
            }
            return stats.isEmpty()
                    ? PanelResult.empty(panel, reasons.of(panel))
                    : new PanelResult(panel, List.of(), stats, null);
        }
        List<SvgLineChart.Line> lines = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            lines.add(new SvgLineChart.Line(
                    entries.size() == 1 ? "" : names.get(i),
                    entries.get(i).series().samples()));
        }
        return SvgLineChart.hasPoints(lines)
                ? new PanelResult(panel, lines, List.of(), null)
                : PanelResult.empty(panel, reasons.of(panel));
    }
}
