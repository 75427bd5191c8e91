package dev.researchmon.magics.render;

import dev.researchmon.magics.prometheus.Series;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws range-query results as a line chart in SVG: axes with ticks, one polyline per series
 * (broken where a series has no value), and a legend. Nothing but text, so it travels in a Jupyter
 * {@code image/svg+xml} output and in the committed notebooks.
 *
 * <pre>{@code
 * String svg = new SvgLineChart("rate(x_total[1m])").render(series, startSeconds, endSeconds);
 * }</pre>
 */
public final class SvgLineChart {
    /** Above this, a legend stops being readable; the rest are listed as a count. */
    public static final int MAX_SERIES = 12;

    private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"};
    private static final int WIDTH = 760;
    private static final int PLOT_HEIGHT = 280;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int LEGEND_LINE = 16;
    private static final int LEGEND_CHARS = 105;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final String title;

    public SvgLineChart(String title) {
        this.title = title;
    }

    /** The chart of {@code series} over {@code [start, end]} (Unix seconds). */
    public String render(List<Series> series, double start, double end) {
        List<Series> drawn = series.subList(0, Math.min(series.size(), MAX_SERIES));
        double[] yRange = valueRange(drawn);
        Axis y = Axis.nice(yRange[0], yRange[1], 5);
        double x0 = start;
        double x1 = end > start ? end : start + 1;
        int plotWidth = WIDTH - LEFT - RIGHT;
        int legendLines = drawn.size() + (series.size() > drawn.size() ? 1 : 0);
        int height = TOP + PLOT_HEIGHT + 40 + legendLines * LEGEND_LINE + 10;

        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"18\" font-size=\"13\">").append(Html.escape(title))
                .append("</text>\n");

        // y grid and ticks
        for (double v : y.ticks()) {
            double py = TOP + PLOT_HEIGHT - (v - y.min()) / (y.max() - y.min()) * PLOT_HEIGHT;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>\n", LEFT, py,
                    LEFT + plotWidth, py));
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT - 6, py + 4,
                    Html.escape(Numbers.si(v))));
        }
        // x ticks: five evenly spaced times, UTC clock
        for (int i = 0; i <= 4; i++) {
            double t = x0 + (x1 - x0) * i / 4;
            double px = LEFT + (double) plotWidth * i / 4;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n", px, TOP + PLOT_HEIGHT,
                    px, TOP + PLOT_HEIGHT + 5));
            // the end labels are anchored inwards so that they stay inside the picture
            String anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>\n",
                    px, TOP + PLOT_HEIGHT + 18, anchor, CLOCK.format(Instant.ofEpochMilli((long) (t * 1000)))));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#666\">UTC</text>\n", WIDTH - RIGHT,
                TOP + PLOT_HEIGHT + 30));
        // axes
        svg.append(String.format(Locale.ROOT,
                "<polyline points=\"%d,%d %d,%d %d,%d\" fill=\"none\" stroke=\"#333\"/>\n", LEFT, TOP, LEFT,
                TOP + PLOT_HEIGHT, LEFT + plotWidth, TOP + PLOT_HEIGHT));

        for (int i = 0; i < drawn.size(); i++) {
            String color = PALETTE[i % PALETTE.length];
            for (List<double[]> run : runs(drawn.get(i))) {
                StringBuilder points = new StringBuilder();
                for (double[] p : run) {
                    double px = LEFT + (p[0] - x0) / (x1 - x0) * plotWidth;
                    double py = TOP + PLOT_HEIGHT - (p[1] - y.min()) / (y.max() - y.min()) * PLOT_HEIGHT;
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                }
                svg.append("<polyline class=\"series\" fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                        .append(color).append("\" points=\"").append(points.toString().trim()).append("\"/>\n");
            }
            int ly = TOP + PLOT_HEIGHT + 40 + i * LEGEND_LINE;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>\n", LEFT, ly,
                    LEFT + 18, ly, color));
            svg.append("<text class=\"legend\" x=\"").append(LEFT + 24).append("\" y=\"").append(ly + 4)
                    .append("\">").append(Html.escape(legend(drawn.get(i).displayName()))).append("</text>\n");
        }
        if (series.size() > drawn.size()) {
            int ly = TOP + PLOT_HEIGHT + 40 + drawn.size() * LEGEND_LINE;
            svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(ly + 4).append("\" fill=\"#666\">")
                    .append(series.size() - drawn.size()).append(" more series not drawn</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    /** A legend entry that fits beside its line; the full name is in the text output. */
    static String legend(String name) {
        return name.length() <= LEGEND_CHARS ? name : name.substring(0, LEGEND_CHARS - 1) + "\u2026";
    }

    /** The stretches of finite values of a series: a NaN or a missing point breaks the line. */
    static List<List<double[]>> runs(Series s) {
        List<List<double[]>> runs = new ArrayList<>();
        List<double[]> current = new ArrayList<>();
        for (Series.Sample p : s.samples()) {
            if (Double.isFinite(p.value())) {
                current.add(new double[]{p.time(), p.value()});
            } else if (!current.isEmpty()) {
                runs.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            runs.add(current);
        }
        return runs;
    }

    private static double[] valueRange(List<Series> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Series.Sample p : s.samples()) {
                if (Double.isFinite(p.value())) {
                    min = Math.min(min, p.value());
                    max = Math.max(max, p.value());
                }
            }
        }
        if (min > max) {
            return new double[]{0, 1};
        }
        return new double[]{min, max};
    }

    /** A y axis with round tick values covering [min, max]. */
    record Axis(double min, double max, List<Double> ticks) {
        static Axis nice(double lo, double hi, int wanted) {
            if (lo == hi) {
                double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
                lo -= pad;
                hi += pad;
            }
            double rough = (hi - lo) / wanted;
            double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
            double step = magnitude;
            for (double m : new double[]{1, 2, 2.5, 5, 10}) {
                if (m * magnitude >= rough) {
                    step = m * magnitude;
                    break;
                }
            }
            double start = Math.floor(lo / step) * step;
            double stop = Math.ceil(hi / step) * step;
            List<Double> ticks = new ArrayList<>();
            for (double v = start; v <= stop + step / 2; v += step) {
                ticks.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
            }
            return new Axis(start, stop, ticks);
        }
    }
}
