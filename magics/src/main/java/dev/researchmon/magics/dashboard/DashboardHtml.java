package dev.researchmon.magics.dashboard;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.prometheus.Series;
import dev.researchmon.magics.render.Html;
import dev.researchmon.magics.render.SvgLineChart;
import dev.researchmon.magics.render.Unit;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays the queried panels out as the notebook shows them: the Grafana link or the note about
 * Grafana first, then each dashboard row as a heading over its panels, time series as
 * {@link SvgLineChart}s and stats as big numbers; and the same as text for text-only front ends.
 * Colours come from JupyterLab's theme variables, with light fallbacks.
 *
 * <pre>{@code
 * Display d = new DashboardHtml(ZoneId.systemDefault(), start, end).render(header, results, rowOfPanel);
 * }</pre>
 */
final class DashboardHtml {
    static final int CHART_WIDTH = 460;
    static final int CHART_PLOT_HEIGHT = 150;

    private static final String STYLE = "<style>"
            + ".rm-dash{color:var(--jp-ui-font-color1,#1f1f1f);font-family:var(--jp-ui-font-family,sans-serif)}"
            + ".rm-dash h3.rm-row{font-size:14px;margin:14px 0 6px;padding-bottom:3px;"
            + "border-bottom:1px solid var(--jp-border-color2,#e0e0e0)}"
            // equal columns of about a chart's width, as many as the output is wide
            + ".rm-dash .rm-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,380px),1fr));"
            + "gap:10px;align-items:start}"
            + ".rm-dash .rm-panel{margin:0;border:1px solid var(--jp-border-color2,#e0e0e0);border-radius:4px;"
            + "background:var(--jp-layout-color0,#ffffff);overflow:hidden}"
            + ".rm-dash .rm-panel svg{display:block;width:100%;height:auto}"
            + ".rm-dash .rm-stat{padding:8px 12px}"
            + ".rm-dash .rm-stat figcaption{font-weight:600;font-size:13px;margin-bottom:4px}"
            + ".rm-dash .rm-stat-values{display:flex;flex-wrap:wrap;gap:4px 18px}"
            + ".rm-dash .rm-num{font-size:24px;font-weight:600;color:var(--jp-ui-font-color0,#000000)}"
            + ".rm-dash .rm-stat-name,.rm-dash .rm-note,.rm-dash .rm-empty{color:var(--jp-ui-font-color2,#616161);font-size:12px}"
            + ".rm-dash .rm-stat-name{display:block}"
            + ".rm-dash a{color:var(--jp-content-link-color,#1565c0)}"
            + "</style>";

    private final ZoneId zone;
    private final double start;
    private final double end;

    private final double step;

    DashboardHtml(ZoneId zone, Instant start, Instant end, java.time.Duration step) {
        this.zone = zone;
        this.step = step.toMillis() / 1000.0;
        this.start = start.toEpochMilli() / 1000.0;
        this.end = end.toEpochMilli() / 1000.0;
    }

    /**
     * @param headerHtml  the lines above the panels, HTML
     * @param headerText  the same, text
     * @param results     the panels in the order shown
     * @param rowOf       each panel's row title ({@code ""}: none)
     */
    Display render(
            String headerHtml, String headerText, List<PanelResult> results, Map<Dashboard.Panel, String> rowOf) {
        Map<String, List<PanelResult>> byRow = new LinkedHashMap<>();
        for (PanelResult r : results) {
            byRow.computeIfAbsent(rowOf.getOrDefault(r.panel(), ""), k -> new java.util.ArrayList<>())
                    .add(r);
        }
        StringBuilder html =
                new StringBuilder("<div class=\"rm-dash\">").append(STYLE).append(headerHtml);
        StringBuilder text = new StringBuilder(headerText);
        byRow.forEach((row, panels) -> {
            if (!row.isEmpty()) {
                html.append("<h3 class=\"rm-row\">").append(Html.escape(row)).append("</h3>");
                text.append("\n\n== ").append(row).append(" ==");
            }
            html.append("<div class=\"rm-grid\">");
            for (PanelResult r : panels) {
                panel(r, html, text);
            }
            html.append("</div>");
        });
        html.append("</div>");
        return Display.html(html.toString(), text.toString());
    }

    private void panel(PanelResult r, StringBuilder html, StringBuilder text) {
        Dashboard.Panel p = r.panel();
        String state = r.hasData() ? "data" : "empty";
        text.append("\n").append(p.title()).append(':');
        if (p.type() == Dashboard.Type.STAT) {
            html.append("<figure class=\"rm-panel rm-stat\" data-panel=\"")
                    .append(Html.escape(p.title()))
                    .append("\" data-state=\"")
                    .append(state)
                    .append("\"><figcaption>")
                    .append(Html.escape(p.title()))
                    .append("</figcaption>");
            if (r.hasData()) {
                html.append("<div class=\"rm-stat-values\">");
                for (PanelResult.Stat s : r.stats()) {
                    html.append("<div class=\"rm-stat-value\"><span class=\"rm-num\">")
                            .append(Html.escape(s.value()))
                            .append("</span>");
                    if (!s.name().isEmpty()) {
                        html.append("<span class=\"rm-stat-name\">")
                                .append(Html.escape(s.name()))
                                .append("</span>");
                    }
                    html.append("</div>");
                    text.append(s.name().isEmpty() ? " " : "\n  " + s.name() + "  ")
                            .append(s.value());
                }
                html.append("</div>");
            } else {
                html.append("<div class=\"rm-empty\">")
                        .append(Html.escape(r.emptyReason()))
                        .append("</div>");
                text.append(' ').append(r.emptyReason());
            }
            html.append("</figure>");
            return;
        }
        SvgLineChart chart = new SvgLineChart(p.title(), Unit.of(p.unit()), zone)
                .size(CHART_WIDTH, CHART_PLOT_HEIGHT)
                .step(step)
                .showZone(false);
        html.append("<figure class=\"rm-panel rm-timeseries\" data-panel=\"")
                .append(Html.escape(p.title()))
                .append("\" data-state=\"")
                .append(state)
                .append("\">");
        if (r.hasData()) {
            html.append(chart.render(r.lines(), start, end));
            Unit unit = Unit.of(p.unit());
            for (SvgLineChart.Line l : r.lines()) {
                text.append(r.lines().size() == 1 ? " " : "\n  " + l.name() + "  ")
                        .append("last ")
                        .append(last(l, unit));
            }
        } else {
            html.append(chart.renderEmpty(r.emptyReason()));
            text.append(' ').append(r.emptyReason());
        }
        html.append("</figure>");
    }

    private static String last(SvgLineChart.Line l, Unit unit) {
        List<Series.Sample> samples = l.samples();
        for (int i = samples.size() - 1; i >= 0; i--) {
            if (Double.isFinite(samples.get(i).value())) {
                return unit.format(samples.get(i).value());
            }
        }
        return "-";
    }
}
