package dev.researchmon.magics.render;

import dev.researchmon.magics.prometheus.Series;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws range-query results as a line chart in SVG, the one chart of {@code %metrics plot} and
 * {@code %dashboard}: a y axis in the panel's unit, round clock times in the kernel's time zone
 * (named on the chart), one polyline per series (broken where a series has no value; a lone point
 * drawn as a dot) and a legend that wraps onto as many lines as it needs, so no series is left
 * out. Colours of text, grid and background come from JupyterLab's CSS variables
 * ({@code --jp-ui-font-color1}, {@code --jp-layout-color0}, ...) with light fallbacks, so the chart
 * follows the light and the dark theme inline and stays readable as a plain image.
 *
 * <pre>{@code
 * String svg = new SvgLineChart("Kernel memory", Unit.of("bytes"), ZoneId.systemDefault())
 *         .render(List.of(new SvgLineChart.Line("resident", samples)), startSeconds, endSeconds);
 * }</pre>
 */
public final class SvgLineChart {
    /** A series as drawn: its legend name and its points. */
    public record Line(String name, List<Series.Sample> samples) {
        public Line {
            samples = List.copyOf(samples);
        }
    }

    /** Beyond this many series a chart is no longer readable; the rest are counted, not drawn. */
    public static final int MAX_SERIES = 60;

    /** The style every chart carries: JupyterLab's theme variables, light fallbacks for anywhere else. */
    static final String STYLE = "<style>"
            + ".rmc text{fill:var(--jp-ui-font-color1,#1f1f1f);font-family:var(--jp-ui-font-family,sans-serif)}"
            + ".rmc .bg{fill:var(--jp-layout-color0,#ffffff)}"
            + ".rmc .grid{stroke:var(--jp-border-color2,#e0e0e0)}"
            + ".rmc .axis{stroke:var(--jp-ui-font-color2,#616161)}"
            + ".rmc text.muted{fill:var(--jp-ui-font-color2,#616161)}"
            + ".rmc text.title{font-weight:600}"
            + "</style>\n";

    private static final String[] PALETTE = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
        "#5254a3", "#8ca252"
    };
    /** Average advance of an 11px sans-serif character, to lay out text without a font engine. */
    private static final double CHAR = 6.3;

    private static final int RIGHT = 16;
    private static final int LEGEND_LINE = 16;
    private static final long[] TIME_STEPS = {
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800
    };

    private final String title;
    private final Unit unit;
    private final ZoneId zone;
    private String subtitle = "";
    private boolean showZone = true;
    private double step;
    private int width = 760;
    private int plotHeight = 260;

    public SvgLineChart(String title, Unit unit, ZoneId zone) {
        this.title = title;
        this.unit = unit;
        this.zone = zone;
    }

    /** A second line under the title, e.g. the labels all series share. */
    public SvgLineChart subtitle(String text) {
        this.subtitle = text == null ? "" : text;
        return this;
    }

    /**
     * The range query's resolution in seconds. A range query leaves out the steps where a series has
     * no value, so a line is broken where two points are further apart than a step and a half;
     * unset, the smallest distance between two points of the chart stands in for it.
     */
    public SvgLineChart step(double seconds) {
        this.step = seconds;
        return this;
    }

    /** Whether the chart names its time zone; off where the page around it names it once for all charts. */
    public SvgLineChart showZone(boolean show) {
        this.showZone = show;
        return this;
    }

    /** The picture's width and the height of its plot area (legend and labels come on top), in px. */
    public SvgLineChart size(int width, int plotHeight) {
        this.width = width;
        this.plotHeight = plotHeight;
        return this;
    }

    /** The chart of {@code lines} over {@code [start, end]} (Unix seconds). */
    public String render(List<Line> lines, double start, double end) {
        List<Line> drawn = lines.subList(0, Math.min(lines.size(), MAX_SERIES));
        double[] range = valueRange(drawn);
        Unit.Scale scale = unit.scaleFor(Math.max(Math.abs(range[0]), Math.abs(range[1])));
        Axis y = Axis.nice(range[0] / scale.divisor(), range[1] / scale.divisor(), plotHeight >= 200 ? 5 : 4);
        List<String> yLabels = y.ticks().stream()
                .map(t -> Unit.significant(t) + scale.suffix())
                .toList();
        int left = 12
                + (int) Math.ceil(
                        CHAR * yLabels.stream().mapToInt(String::length).max().orElse(1));
        double x0 = start;
        double x1 = end > start ? end : start + 1;
        int plotWidth = width - left - RIGHT;
        int top = subtitle.isEmpty() ? 30 : 44;

        List<String> names = drawn.stream().map(Line::name).toList();
        boolean legend = !(drawn.size() == 1 && names.get(0).isEmpty());
        List<double[]> legendPlaces = legend ? legendLayout(names, left, width - RIGHT) : List.of();
        int legendLines = legendPlaces.isEmpty() ? 0 : (int) legendPlaces.get(legendPlaces.size() - 1)[1] + 1;
        boolean more = lines.size() > drawn.size();
        int legendTop = top + plotHeight + 34;
        int height = legendTop + (legendLines + (more ? 1 : 0)) * LEGEND_LINE + 6;

        double gap = 1.5 * (step > 0 ? step : smallestStep(drawn));
        StringBuilder svg = open(height);
        header(svg);
        for (int i = 0; i < y.ticks().size(); i++) {
            double py = top + plotHeight - (y.ticks().get(i) - y.min()) / (y.max() - y.min()) * plotHeight;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
                    left,
                    py,
                    left + plotWidth,
                    py));
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    left - 6,
                    py + 4,
                    Html.escape(yLabels.get(i))));
        }
        timeAxis(svg, x0, x1, left, plotWidth, top);
        svg.append(String.format(
                Locale.ROOT,
                "<polyline class=\"axis\" fill=\"none\" points=\"%d,%d %d,%d %d,%d\"/>\n",
                left,
                top,
                left,
                top + plotHeight,
                left + plotWidth,
                top + plotHeight));

        for (int i = 0; i < drawn.size(); i++) {
            String color = PALETTE[i % PALETTE.length];
            Line line = drawn.get(i);
            svg.append("<g data-series=\"")
                    .append(Html.escape(line.name()))
                    .append("\"><title>")
                    .append(Html.escape(line.name().isEmpty() ? title : line.name()))
                    .append("</title>\n");
            for (List<double[]> run : runs(line.samples(), gap)) {
                StringBuilder points = new StringBuilder();
                for (double[] p : run) {
                    double px = left + (p[0] - x0) / (x1 - x0) * plotWidth;
                    double py =
                            top + plotHeight - (p[1] / scale.divisor() - y.min()) / (y.max() - y.min()) * plotHeight;
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                }
                String pts = points.toString().trim();
                if (run.size() == 1) {
                    // a point between gaps: a polyline of one point draws nothing
                    String[] xy = pts.split(",");
                    svg.append("<circle class=\"point\" r=\"2.5\" cx=\"")
                            .append(xy[0])
                            .append("\" cy=\"")
                            .append(xy[1])
                            .append("\" fill=\"")
                            .append(color)
                            .append("\"/>\n");
                }
                svg.append(
                                "<polyline class=\"series\" fill=\"none\" stroke-width=\"1.6\" stroke-linejoin=\"round\" stroke=\"")
                        .append(color)
                        .append("\" points=\"")
                        .append(pts)
                        .append("\"/>\n");
            }
            svg.append("</g>\n");
            if (legend) {
                double[] place = legendPlaces.get(i);
                int ly = legendTop + (int) place[1] * LEGEND_LINE;
                int lx = (int) place[0];
                svg.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>\n",
                        lx,
                        ly,
                        lx + 16,
                        ly,
                        color));
                svg.append("<text class=\"legend\" x=\"")
                        .append(lx + 21)
                        .append("\" y=\"")
                        .append(ly + 4)
                        .append("\">")
                        .append(Html.escape(fit(names.get(i), width - RIGHT - lx - 21)))
                        .append("</text>\n");
            }
        }
        if (more) {
            svg.append("<text class=\"muted\" x=\"")
                    .append(left)
                    .append("\" y=\"")
                    .append(legendTop + legendLines * LEGEND_LINE + 4)
                    .append("\">")
                    .append(lines.size() - drawn.size())
                    .append(" more series not drawn (narrow the query)</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    /** The chart's frame with {@code reason} where the lines would be: a panel with nothing to draw says why. */
    public String renderEmpty(String reason) {
        int top = subtitle.isEmpty() ? 30 : 44;
        int height = top + plotHeight + 12;
        StringBuilder svg = open(height);
        header(svg);
        svg.append(String.format(
                Locale.ROOT,
                "<rect class=\"grid\" fill=\"none\" stroke-dasharray=\"4 3\" x=\"12\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
                top,
                width - 24,
                plotHeight));
        List<String> wrapped = wrap(reason, (int) ((width - 60) / CHAR));
        double y = top + plotHeight / 2.0 - (wrapped.size() - 1) * 8;
        for (String line : wrapped) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"empty muted\" x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                    width / 2,
                    y,
                    Html.escape(line)));
            y += 16;
        }
        return svg.append("</svg>\n").toString();
    }

    private StringBuilder open(int height) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rmc\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" font-size=\"11\" style=\"max-width:100%;height:auto\">\n");
        svg.append(STYLE);
        svg.append("<rect class=\"bg\" width=\"100%\" height=\"100%\"/>\n");
        return svg;
    }

    /** The title (shortened to leave room for the zone), the subtitle, and the zone the times are in. */
    private void header(StringBuilder svg) {
        String zoneName = showZone ? "times in " + zoneName(zone) : "";
        int zoneWidth = (int) (zoneName.length() * CHAR);
        svg.append("<text class=\"title\" x=\"12\" y=\"18\" font-size=\"13\">")
                .append(Html.escape(fit(title, (int) ((width - 36 - zoneWidth) / 1.15))))
                .append("<title>")
                .append(Html.escape(title))
                .append("</title></text>\n");
        if (showZone) {
            svg.append("<text class=\"muted zone\" x=\"")
                    .append(width - RIGHT)
                    .append("\" y=\"18\" text-anchor=\"end\">")
                    .append(Html.escape(zoneName))
                    .append("</text>\n");
        }
        if (!subtitle.isEmpty()) {
            svg.append("<text class=\"muted subtitle\" x=\"12\" y=\"33\">")
                    .append(Html.escape(fit(subtitle, width - 24)))
                    .append("</text>\n");
        }
    }

    /** Ticks on round clock times of the zone (every second ... every week), about one per 90 px. */
    private void timeAxis(StringBuilder svg, double x0, double x1, int left, int plotWidth, int top) {
        double wanted = Math.max(2, plotWidth / 90.0);
        long step = TIME_STEPS[TIME_STEPS.length - 1];
        for (long s : TIME_STEPS) {
            if ((x1 - x0) / s <= wanted) {
                step = s;
                break;
            }
        }
        DateTimeFormatter format = DateTimeFormatter.ofPattern(
                        step < 60 ? "HH:mm:ss" : step < 86400 ? "HH:mm" : "MMM d", Locale.ROOT)
                .withZone(zone);
        long offset =
                zone.getRules().getOffset(Instant.ofEpochSecond((long) x0)).getTotalSeconds();
        long first = (long) Math.ceil((x0 + offset) / step) * step - offset;
        for (long t = first; t <= x1; t += step) {
            double px = left + (t - x0) / (x1 - x0) * plotWidth;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
                    px,
                    top + plotHeight,
                    px,
                    top + plotHeight + 4));
            String label = format.format(Instant.ofEpochSecond(t));
            // labels near the ends are anchored inwards so that they stay inside the picture
            double half = label.length() * CHAR / 2;
            String anchor = px - half < left - 8 ? "start" : px + half > left + plotWidth + RIGHT ? "end" : "middle";
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>\n",
                    px,
                    top + plotHeight + 17,
                    anchor,
                    label));
        }
    }

    /** {@code UTC}, or the zone's short name with its id: {@code CET (Europe/Berlin)}. */
    public static String zoneName(ZoneId zone) {
        if (zone.normalized().equals(ZoneOffset.UTC)) {
            return "UTC";
        }
        String shortName = zone.getDisplayName(TextStyle.SHORT, Locale.ROOT);
        return shortName.equals(zone.getId()) ? shortName : shortName + " (" + zone.getId() + ")";
    }

    /** Where each legend entry goes: x, and the legend line, flowing left to right. */
    private static List<double[]> legendLayout(List<String> names, int left, int right) {
        List<double[]> places = new ArrayList<>();
        double x = left;
        int line = 0;
        for (String name : names) {
            double w = 21 + name.length() * CHAR + 18;
            if (x > left && x + w > right) {
                x = left;
                line++;
            }
            places.add(new double[] {x, line});
            x += w;
        }
        return places;
    }

    /** {@code text}, shortened with an ellipsis to fit {@code px} (the full text stays in the chart's titles). */
    static String fit(String text, int px) {
        int chars = Math.max(4, (int) (px / CHAR));
        return text.length() <= chars ? text : text.substring(0, chars - 1) + "\u2026";
    }

    private static List<String> wrap(String text, int chars) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > chars) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /**
     * The stretches of finite values of a series: a NaN, or a gap of more than {@code maxGap}
     * seconds between two points (steps without a value), breaks the line.
     */
    static List<List<double[]>> runs(List<Series.Sample> samples, double maxGap) {
        List<List<double[]>> runs = new ArrayList<>();
        List<double[]> current = new ArrayList<>();
        for (Series.Sample p : samples) {
            boolean gap = !current.isEmpty() && p.time() - current.get(current.size() - 1)[0] > maxGap;
            if ((!Double.isFinite(p.value()) || gap) && !current.isEmpty()) {
                runs.add(current);
                current = new ArrayList<>();
            }
            if (Double.isFinite(p.value())) {
                current.add(new double[] {p.time(), p.value()});
            }
        }
        if (!current.isEmpty()) {
            runs.add(current);
        }
        return runs;
    }

    /** The smallest distance between two points of a series: the step, where the caller did not say it. */
    private static double smallestStep(List<Line> lines) {
        double smallest = Double.POSITIVE_INFINITY;
        for (Line l : lines) {
            for (int i = 1; i < l.samples().size(); i++) {
                double d = l.samples().get(i).time() - l.samples().get(i - 1).time();
                if (d > 0) {
                    smallest = Math.min(smallest, d);
                }
            }
        }
        return smallest;
    }

    /** Whether any series has a value to draw. */
    public static boolean hasPoints(List<Line> lines) {
        return lines.stream().anyMatch(l -> l.samples().stream().anyMatch(s -> Double.isFinite(s.value())));
    }

    private double[] valueRange(List<Line> lines) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Line l : lines) {
            for (Series.Sample p : l.samples()) {
                if (Double.isFinite(p.value())) {
                    min = Math.min(min, p.value());
                    max = Math.max(max, p.value());
                }
            }
        }
        if (min > max) {
            return new double[] {0, 1};
        }
        // headroom, so that a line at its extreme is not drawn on the frame
        double pad = (max - min) * 0.05;
        if (unit.zeroBased() && min >= 0) {
            return new double[] {0, max + pad};
        }
        return new double[] {min - pad, max + pad};
    }

    /** A y axis with round tick values covering [min, max]. */
    record Axis(double min, double max, List<Double> ticks) {
        static Axis nice(double lo, double hi, int wanted) {
            if (lo == hi) {
                double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
                lo -= lo == 0 ? 0 : pad;
                hi += pad;
            }
            double rough = (hi - lo) / wanted;
            double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
            double step = magnitude;
            for (double m : new double[] {1, 2, 2.5, 5, 10}) {
                if (m * magnitude >= rough) {
                    step = m * magnitude;
                    break;
                }
            }
            double start = Math.floor(lo / step) * step;
            double stop = Math.ceil(hi / step) * step;
            List<Double> ticks = new ArrayList<>();
            for (int i = 0; start + i * step <= stop + step / 2; i++) {
                double v = start + i * step;
                // rounded to the step's precision: 0.6000000000000001 is written 0.6
                double rounded = Math.round(v / step) * step;
                ticks.add(
                        Math.abs(rounded) < step * 1e-9
                                ? 0.0
                                : Double.parseDouble(String.format(Locale.ROOT, "%.10g", rounded)));
            }
            return new Axis(start, stop, ticks);
        }
    }
}
