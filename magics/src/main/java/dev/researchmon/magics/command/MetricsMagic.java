package dev.researchmon.magics.command;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicSignature;
import dev.researchmon.magics.monitor.MonitoringSession;
import dev.researchmon.magics.prometheus.PrometheusClient;
import dev.researchmon.magics.prometheus.Series;
import dev.researchmon.magics.render.Legends;
import dev.researchmon.magics.render.Numbers;
import dev.researchmon.magics.render.SnapshotTable;
import dev.researchmon.magics.render.SvgLineChart;
import dev.researchmon.magics.render.Table;
import dev.researchmon.magics.render.Unit;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code %metrics}: this kernel's metrics now; {@code %metrics query PROMQL}: an instant query as a
 * table; {@code %metrics plot PROMQL [--range 30m] [--step 15s]}: a range query as a line chart.
 *
 * <pre>{@code
 * %metrics plot rate(notebook_cells_executed_total[1m]) --range 10m
 * }</pre>
 */
public final class MetricsMagic implements Magic {
    static final MagicSignature SIGNATURE = MagicSignature.line(
                    "metrics", "this kernel's metrics now, a PromQL query as a table, or a range query as a chart")
            .form(MagicSignature.form())
            .form(MagicSignature.subcommand("query").rest("PROMQL", "a PromQL expression"))
            .form(MagicSignature.subcommand("plot")
                    .rest("PROMQL", "a PromQL expression")
                    .option("--range", MetricsArgs.DEFAULT_RANGE)
                    .optionWithoutDefault("--step", MetricsArgs.STEP_EXAMPLE))
            .build();

    private final MonitoringSession session;

    public MetricsMagic(MonitoringSession session) {
        this.session = session;
    }

    @Override
    public MagicSignature signature() {
        return SIGNATURE;
    }

    @Override
    public Display execute(MagicCall call, MagicContext ctx) throws MagicException {
        MetricsArgs args = MetricsArgs.parse(call);
        return switch (args.mode()) {
            case LOCAL -> local();
            case QUERY -> query(args.promql());
            case PLOT -> plot(args);
        };
    }

    private Display local() {
        Table t = SnapshotTable.of(session.scrape());
        String note =
                session.isOn() ? "" : "\n(monitoring is off: these values are not being reported; %monitoring on)";
        return new Display(java.util.Map.of(
                "text/html",
                t.html() + (note.isEmpty() ? "" : "<p>" + note.trim() + "</p>"),
                "text/plain",
                t.text() + note));
    }

    private Display query(String promql) throws MagicException {
        List<Series> result = prometheus().instant(promql);
        if (result.isEmpty()) {
            return Display.text(
                    "No series match " + promql + " at " + prometheus().base() + ".");
        }
        Table t = new Table(List.of("series", "value"));
        for (Series s : result) {
            t.row(s.displayName(), Numbers.format(s.samples().get(0).value()));
        }
        return t.display();
    }

    private Display plot(MetricsArgs args) throws MagicException {
        Instant end = Instant.now();
        Instant start = end.minus(args.range());
        List<Series> result = prometheus().range(args.promql(), start, end, args.step());
        if (result.isEmpty()) {
            return Display.text("No data for " + args.promql() + " in the last " + args.rangeText() + " at "
                    + prometheus().base() + ".");
        }
        Legends legends =
                Legends.of(result.stream().map(s -> new Legends.Entry(s, null)).toList());
        List<SvgLineChart.Line> lines = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            lines.add(new SvgLineChart.Line(
                    result.size() == 1 ? "" : legends.names().get(i),
                    result.get(i).samples()));
        }
        String svg = new SvgLineChart(
                        args.promql() + "  (last " + args.rangeText() + ", step " + args.stepText() + ")",
                        unitOf(result),
                        ZoneId.systemDefault())
                .subtitle(legends.common())
                .step(args.step().toMillis() / 1000.0)
                .render(lines, start.toEpochMilli() / 1000.0, end.toEpochMilli() / 1000.0);
        StringBuilder plain = new StringBuilder("Line chart of " + result.size() + " series of " + args.promql()
                + " over the last " + args.rangeText() + ":");
        for (Series s : result) {
            Series.Sample last = s.samples().get(s.samples().size() - 1);
            plain.append("\n  ").append(s.displayName()).append("  last ").append(Numbers.format(last.value()));
        }
        // Inline in HTML the chart takes JupyterLab's theme colours; as image/svg+xml, its light fallbacks.
        Map<String, String> data = new LinkedHashMap<>();
        data.put("text/plain", plain.toString());
        data.put("text/html", svg);
        data.put("image/svg+xml", svg);
        return new Display(data);
    }

    /**
     * The unit a plain selector's metric name says ({@code _bytes}, {@code _seconds}, {@code _ratio},
     * {@code _celsius}, {@code _watts}); plain numbers for anything computed, whose name Prometheus drops.
     */
    static Unit unitOf(List<Series> result) {
        Set<String> names = new HashSet<>();
        result.forEach(s -> names.add(s.labels().getOrDefault("__name__", "")));
        if (names.size() != 1) {
            return Unit.plain();
        }
        String name = names.iterator().next();
        if (name.endsWith("_bytes")) {
            return Unit.of("bytes");
        }
        if (name.endsWith("_seconds")) {
            return Unit.of("s");
        }
        if (name.endsWith("_ratio")) {
            return Unit.of("percentunit");
        }
        if (name.endsWith("_celsius")) {
            return Unit.of("celsius");
        }
        if (name.endsWith("_watts")) {
            return Unit.of("watt");
        }
        return Unit.plain();
    }

    private PrometheusClient prometheus() throws MagicException {
        return new PrometheusClient(session.settings().prometheusUrl(), Duration.ofSeconds(15));
    }
}
