package dev.researchmon.magics.dashboard;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.prometheus.PrometheusClient;
import dev.researchmon.magics.prometheus.Series;
import dev.researchmon.magics.render.Html;
import dev.researchmon.magics.render.SvgLineChart;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard as the notebook shows it: asks Prometheus for the chosen panels over a range,
 * with the dashboard's variables filled for this notebook (or all notebooks) and this host, and
 * draws them. When Prometheus does not answer, every panel says so; when Grafana answers, the
 * link to the same view in Grafana comes first.
 *
 * <pre>{@code
 * Display d = new DashboardView(Dashboard.packaged(), prometheusUrl, ZoneId.systemDefault())
 *         .notebook("analysis.ipynb").monitoringOn(true).grafana(null, grafanaUrl)
 *         .render(panels, Duration.ofHours(1), "1h", Duration.ofSeconds(15));
 * }</pre>
 */
public final class DashboardView {
    /** The project's scrape interval (prometheus.yml), for when Prometheus does not tell its own. */
    static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(15);

    private final Dashboard dashboard;
    private final PrometheusClient prometheus;
    private final ZoneId zone;
    private String notebook;
    private String kernelId;
    private boolean monitoringOn;
    private URI grafanaLink;
    private URI grafanaUrl;

    public DashboardView(Dashboard dashboard, URI prometheusUrl, ZoneId zone) {
        this.dashboard = dashboard;
        this.prometheus = new PrometheusClient(prometheusUrl, Duration.ofSeconds(15));
        this.zone = zone;
    }

    /** Filters notebook panels to this notebook; {@code null} or blank: every notebook. */
    public DashboardView notebook(String notebook) {
        this.notebook = notebook == null || notebook.isBlank() ? null : notebook;
        return this;
    }

    /** This kernel's id: its own series tell the {@code host} label this host's series carry. */
    public DashboardView kernel(String kernelId) {
        this.kernelId = kernelId;
        return this;
    }

    public DashboardView monitoringOn(boolean on) {
        this.monitoringOn = on;
        return this;
    }

    /** The Grafana link to show first, {@code null} when Grafana does not answer at {@code grafanaUrl}. */
    public DashboardView grafana(URI link, URI grafanaUrl) {
        this.grafanaLink = link;
        this.grafanaUrl = grafanaUrl;
        return this;
    }

    public Display render(List<Dashboard.Panel> panels, Duration range, String rangeText, Duration step) {
        Instant end = Instant.now();
        Instant start = end.minus(range);
        StringBuilder html = new StringBuilder();
        StringBuilder text = new StringBuilder();
        if (grafanaLink != null) {
            html.append("<p class=\"rm-note\"><a href=\"")
                    .append(Html.escape(grafanaLink.toString()))
                    .append("\" target=\"_blank\">Open this dashboard in Grafana</a></p>");
            text.append("Research dashboard in Grafana: ").append(grafanaLink).append('\n');
        } else if (grafanaUrl != null) {
            String note = "Grafana does not answer at " + grafanaUrl + "; the panels below are drawn from Prometheus.";
            html.append("<p class=\"rm-note\">").append(Html.escape(note)).append("</p>");
            text.append(note).append('\n');
        }
        String scope = (notebook == null ? "all notebooks" : "notebook " + notebook) + ", last " + rangeText
                + ", times in " + SvgLineChart.zoneName(zone) + ", from Prometheus at " + prometheus.base();
        html.append("<p class=\"rm-note\">")
                .append(Html.escape(dashboard.title() + ": " + scope))
                .append("</p>");
        text.append(dashboard.title()).append(": ").append(scope);

        List<PanelResult> results = new ArrayList<>();
        Duration scrape;
        try {
            scrape = prometheus.scrapeInterval().orElse(DEFAULT_SCRAPE_INTERVAL);
        } catch (MagicException e) {
            if (e.getCause() instanceof IOException) {
                String down = "No data: Prometheus does not answer at " + prometheus.base()
                        + " (bin/environment-manager --enable-monitoring starts it).";
                panels.forEach(p -> results.add(PanelResult.empty(p, down)));
                return new DashboardHtml(zone, start, end, step)
                        .render(html.toString(), text.toString(), results, rows());
            }
            scrape = DEFAULT_SCRAPE_INTERVAL; // a store without Prometheus's config endpoint
        }
        QueryVariables variables =
                new QueryVariables(dashboard.variables(), chosenValues(rangeText), range, step, scrape);
        EmptyReasons reasons = new EmptyReasons(prometheus, monitoringOn, notebook != null, rangeText);
        DashboardQueries queries = new DashboardQueries(prometheus, variables, start, end, step, reasons);
        panels.forEach(p -> results.add(queries.query(p)));
        return new DashboardHtml(zone, start, end, step).render(html.toString(), text.toString(), results, rows());
    }

    /** This notebook and this host; every other variable (instance, gpu, ...) matches all. */
    private Map<String, String> chosenValues(String rangeText) {
        Map<String, String> chosen = new HashMap<>();
        if (notebook != null) {
            chosen.put("notebook", QueryVariables.exactly(notebook));
        }
        hostLabel(rangeText)
                .map(QueryVariables::exactly)
                .or(() -> machineHostName().map(QueryVariables::exactlyOrAbsent))
                .ifPresent(h -> chosen.put("host", h));
        return chosen;
    }

    /**
     * The {@code host} label on this kernel's own series: the name this host goes by in Prometheus
     * and in a central store, whatever {@code --host} set it to. Empty before the kernel reported.
     */
    private Optional<String> hostLabel(String rangeText) {
        if (kernelId == null || kernelId.isEmpty()) {
            return Optional.empty();
        }
        try {
            String id = kernelId.replace("\\", "\\\\").replace("\"", "\\\"");
            List<Series> hosts =
                    prometheus.instant("group by (host) (last_over_time(notebook_kernel_uptime_seconds{kernel_id=\""
                            + id + "\"}[" + rangeText + "]))");
            return hosts.size() == 1
                    ? Optional.ofNullable(hosts.get(0).labels().get("host")).filter(h -> !h.isEmpty())
                    : Optional.empty();
        } catch (MagicException unknown) {
            return Optional.empty();
        }
    }

    private Map<Dashboard.Panel, String> rows() {
        Map<Dashboard.Panel, String> rows = new HashMap<>();
        dashboard.rows().forEach(r -> r.panels().forEach(p -> rows.put(p, r.title())));
        return rows;
    }

    /** What {@code hostname} prints, the environment manager's default for the host label. */
    private static Optional<String> machineHostName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                return Optional.of(Files.readString(kernel).strip()).filter(h -> !h.isEmpty());
            }
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (IOException unknown) {
            return Optional.empty();
        }
    }
}
