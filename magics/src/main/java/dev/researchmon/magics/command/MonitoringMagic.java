package dev.researchmon.magics.command;

import dev.researchmon.magics.MonitoringSettings;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicArgs;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicSignature;
import dev.researchmon.magics.cost.CellFooter;
import dev.researchmon.magics.cost.CellHistory;
import dev.researchmon.magics.monitor.MonitoringSession;
import dev.researchmon.magics.monitor.ReporterStatus;
import dev.researchmon.magics.monitor.SidecarProbe;
import dev.researchmon.magics.render.Table;
import dev.researchmon.report.ReportAck;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code %monitoring on|off|status}, and {@code %monitoring cells [on|off]}: a cost footer under
 * each cell, or (no argument) the last cells' costs as a table.
 *
 * <pre>{@code
 * %monitoring on
 * %monitoring cells on
 * }</pre>
 */
public final class MonitoringMagic implements Magic {
    static final MagicSignature SIGNATURE = MagicSignature.line(
                    "monitoring",
                    "report this kernel's cells and metrics to the sidecar (on), stop (off), or show where things stand"
                            + " (status); cells on|off: a cost footer under each cell, cells alone: the last "
                            + CellHistory.SIZE + " cells' costs")
            .form(MagicSignature.form().one("STATE", "on", "off", "status"))
            .form(MagicSignature.subcommand("cells").optional("CELLS", "on", "off"))
            .build();

    private final MonitoringSession session;
    private final SidecarProbe probe = new SidecarProbe(Duration.ofSeconds(1));

    public MonitoringMagic(MonitoringSession session) {
        this.session = session;
    }

    @Override
    public MagicSignature signature() {
        return SIGNATURE;
    }

    @Override
    public Display execute(MagicCall call, MagicContext ctx) throws MagicException {
        MagicArgs args = SIGNATURE.parse(call);
        if ("cells".equals(args.subcommand())) {
            return cells(args.value("CELLS"), ctx);
        }
        String state = args.value("STATE");
        return switch (state) {
            case "on" -> Display.text(session.on(ctx));
            case "off" -> Display.text(session.off(ctx));
            default -> status(ctx);
        };
    }

    private Display cells(String state, MagicContext ctx) {
        return state == null
                ? CellFooter.table(session.lastCells())
                : Display.text(session.cells(state.equals("on"), ctx));
    }

    private Display status(MagicContext ctx) throws MagicException {
        MonitoringSettings s = session.settings();
        Table t = new Table(List.of("", "state", "where"));
        t.row(
                "monitoring",
                session.isOn() ? "on" : "off",
                "kernel_id=" + ctx.identity().kernelId()
                        + (ctx.identity().notebook().isEmpty()
                                ? ""
                                : ", notebook=" + ctx.identity().notebook()));
        t.row("cells", session.cellsOn() ? "on" : "off", "%monitoring cells on|off");
        t.row("sidecar", answers(probe.answers(s.sidecarUrl())), s.sidecarUrl().toString());
        t.row(
                "prometheus",
                answers(probe.answers(s.prometheusUrl())),
                s.prometheusUrl().toString());
        t.row(
                "grafana",
                answers(probe.answers(s.grafanaUrl(), "/api/health")),
                s.grafanaUrl().toString());
        ReporterStatus r = session.reporterStatus().orElse(null);
        if (r == null) {
            t.row("last report", "-", "not reporting");
        } else {
            String last = r.lastSuccess()
                    .map(at -> at.truncatedTo(ChronoUnit.SECONDS) + " (" + ageSeconds(at) + " s ago)")
                    .orElse("none yet");
            t.row(
                    "last report",
                    last,
                    r.reportsSent() + " sent, " + r.failures() + " failed"
                            + r.lastError().map(e -> "; last error: " + e).orElse(""));
            t.row(
                    "rejected",
                    r.rejectedSeries() + " series",
                    r.rejected().isEmpty()
                            ? "the sidecar kept every series of the last report"
                            : rejections(r.rejected()));
        }
        return t.display();
    }

    /** What the sidecar dropped and why, in words: those series never reach Prometheus. */
    static String rejections(List<ReportAck.Drop> drops) {
        StringBuilder sb = new StringBuilder();
        for (ReportAck.Drop d : drops) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(d.series())
                    .append(' ')
                    .append(d.reason())
                    .append(" (")
                    .append(why(d.reason()))
                    .append(')');
            if (!d.examples().isEmpty()) {
                sb.append(": ").append(String.join(", ", d.examples()));
            }
        }
        return sb.toString();
    }

    private static String why(String reason) {
        return switch (reason) {
            case "reserved_name" -> "a name the sidecar exposes itself: rename the metric";
            case "series_per_kernel" -> "over the sidecar's series limit per kernel";
            case "series_total" -> "over the sidecar's limit for all kernels";
            case "exposition_bytes" -> "over the sidecar's size limit for /metrics";
            case "label_too_long" -> "a label name or value over the length limit";
            case "invalid" -> "refused by client_java: a duplicate name or a bad value";
            case "stale" -> "older than a report already received";
            case "too_many_kernels" -> "the sidecar tracks as many kernels as it may";
            default -> "see sidecar_report_series_dropped_total";
        };
    }

    private static String answers(boolean up) {
        return up ? "answers" : "does not answer";
    }

    private static long ageSeconds(Instant at) {
        return Math.max(0, Duration.between(at, Instant.now()).toSeconds());
    }
}
