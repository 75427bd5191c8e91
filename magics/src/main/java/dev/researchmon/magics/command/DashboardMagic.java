package dev.researchmon.magics.command;

import dev.researchmon.magics.MonitoringSettings;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.KernelIdentity;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicSignature;
import dev.researchmon.magics.api.MagicUsageException;
import dev.researchmon.magics.dashboard.Dashboard;
import dev.researchmon.magics.dashboard.DashboardView;
import dev.researchmon.magics.monitor.MonitoringSession;
import dev.researchmon.magics.monitor.SidecarProbe;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code %dashboard}: the research dashboard drawn in the notebook from Prometheus, in every
 * runtime (Grafana only runs where Docker does), with the link to the same dashboard in Grafana
 * first when Grafana answers. Rows and panels are those of the provisioned Grafana dashboard,
 * their queries filled for this notebook and this host.
 *
 * <pre>{@code
 * %dashboard                                   // the panels a researcher checks most, last hour
 * %dashboard GPUs "Kernel memory" --range 6h   // a row and a panel
 * %dashboard Notebooks --notebook all          // every notebook's cells
 * }</pre>
 */
public final class DashboardMagic implements Magic {
    static final MagicSignature SIGNATURE = MagicSignature.line(
                    "dashboard", "a link to the Grafana dashboard, filtered to this notebook")
            .form(MagicSignature.form()
                    .many("ROW|PANEL")
                    .option("--range", DashboardArgs.DEFAULT_RANGE)
                    .option("--notebook", "this", "this", "all"))
            .build();
    /** The uid of the provisioned research dashboard (monitoring/grafana/provisioning/dashboards). */
    public static final String DASHBOARD_UID = "research-environment";
    /**
     * What {@code %dashboard} shows without arguments: this notebook's cells and errors, its
     * kernel's CPU and memory, the GPUs, and the host's CPU, memory and disk. Titles the dashboard
     * no longer has are skipped (DashboardMagicTest checks that all are there).
     */
    static final List<String> DEFAULT_PANELS = List.of(
            "Cells per second",
            "Failing cells",
            "Cell errors in range",
            "Kernel CPU (cores)",
            "Kernel memory",
            "GPU activity",
            "GPU memory",
            "GPU temperature",
            "GPU power",
            "CPU usage by mode",
            "Memory",
            "Filesystem used");

    private final MonitoringSession session;
    private final SidecarProbe probe = new SidecarProbe(Duration.ofSeconds(1));
    private Dashboard dashboard;

    public DashboardMagic(MonitoringSession session) {
        this.session = session;
    }

    @Override
    public MagicSignature signature() {
        return SIGNATURE;
    }

    @Override
    public Display execute(MagicCall call, MagicContext ctx) throws MagicException {
        DashboardArgs args = DashboardArgs.parse(call);
        Dashboard d = dashboard();
        List<Dashboard.Panel> panels = select(d, args.names());
        MonitoringSettings s = session.settings();
        KernelIdentity id = ctx.identity();
        boolean grafana = probe.answers(s.grafanaUrl(), "/api/health");
        URI link = link(s.grafanaUrl(), id, args);
        return new DashboardView(d, s.prometheusUrl(), ZoneId.systemDefault())
                .notebook(args.allNotebooks() ? null : id.notebook())
                .kernel(id.kernelId())
                .monitoringOn(session.isOn())
                .grafana(grafana ? link : null, s.grafanaUrl())
                .render(panels, args.range(), args.rangeText(), args.step());
    }

    private synchronized Dashboard dashboard() {
        if (dashboard == null) {
            dashboard = Dashboard.packaged();
        }
        return dashboard;
    }

    /** The panels the names ask for, each once, in the order asked; no name: the default panels. */
    static List<Dashboard.Panel> select(Dashboard d, List<String> names) throws MagicUsageException {
        Set<Dashboard.Panel> chosen = new LinkedHashSet<>();
        if (names.isEmpty()) {
            DEFAULT_PANELS.forEach(t -> d.panel(t).ifPresent(chosen::add));
            return new ArrayList<>(chosen);
        }
        for (String name : names) {
            List<Dashboard.Panel> found = name.equalsIgnoreCase("all") ? d.panels() : d.find(name);
            if (found.isEmpty()) {
                List<String> like = d.titlesLike(name);
                throw SIGNATURE.error("no row or panel is called \"" + name + "\"; "
                        + (like.isEmpty()
                                ? "rows: "
                                        + String.join(
                                                ", ",
                                                d.rows().stream()
                                                        .map(Dashboard.Row::title)
                                                        .filter(t -> !t.isEmpty())
                                                        .toList())
                                : "did you mean: " + String.join(", ", like)));
            }
            chosen.addAll(found);
        }
        return new ArrayList<>(chosen);
    }

    /** The Grafana dashboard over the same range, its {@code notebook} variable set to this notebook. */
    static URI link(URI grafana, KernelIdentity id, DashboardArgs args) {
        StringBuilder sb = new StringBuilder(
                grafana + "/d/" + DASHBOARD_UID + "/?orgId=1&from=now-" + args.rangeText() + "&to=now");
        if (!args.allNotebooks() && !id.notebook().isEmpty()) {
            sb.append("&var-notebook=").append(URLEncoder.encode(id.notebook(), StandardCharsets.UTF_8));
        }
        return URI.create(sb.toString());
    }
}
