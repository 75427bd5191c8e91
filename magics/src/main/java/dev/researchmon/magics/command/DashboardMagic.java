package dev.researchmon.magics.command;

import dev.researchmon.magics.MonitoringSettings;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.KernelIdentity;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicUsageException;
import dev.researchmon.magics.monitor.MonitoringSession;
import dev.researchmon.magics.monitor.SidecarProbe;
import dev.researchmon.magics.render.Html;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code %dashboard}: a link to the Grafana research dashboard, filtered to this notebook, with a sentence when Grafana does not answer.
 *
 * <pre>{@code
 * %dashboard
 * }</pre>
 */
public final class DashboardMagic implements Magic {
    static final String USAGE = "usage: %dashboard";
    /** The uid of the provisioned research dashboard (monitoring/grafana/provisioning/dashboards). */
    public static final String DASHBOARD_UID = "research-environment";

    private final MonitoringSession session;
    private final SidecarProbe probe = new SidecarProbe(Duration.ofSeconds(1));

    public DashboardMagic(MonitoringSession session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "dashboard";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String description() {
        return "a link to the Grafana dashboard, filtered to this notebook";
    }

    @Override
    public Display execute(MagicCall call, MagicContext ctx) throws MagicException {
        if (!call.args().isEmpty()) {
            throw new MagicUsageException(USAGE + " (it takes no arguments)");
        }
        MonitoringSettings s = session.settings();
        String url = link(s.grafanaUrl(), ctx.identity()).toString();
        String note = probe.answers(s.grafanaUrl(), "/api/health") ? ""
                : "Grafana does not answer at " + s.grafanaUrl()
                + " right now; start the stack with bin/environment-manager --enable-monitoring.";
        String html = "<a href=\"" + Html.escape(url) + "\" target=\"_blank\">Research dashboard for this notebook</a>"
                + (note.isEmpty() ? "" : "<br><span>" + Html.escape(note) + "</span>");
        return Display.html(html, "Research dashboard for this notebook: " + url + (note.isEmpty() ? "" : "\n" + note));
    }

    /** The dashboard URL with its {@code notebook} variable set (the dashboard's only notebook filter). */
    static URI link(URI grafana, KernelIdentity id) {
        StringBuilder sb = new StringBuilder(grafana + "/d/" + DASHBOARD_UID + "/?orgId=1&from=now-1h&to=now");
        if (!id.notebook().isEmpty()) {
            sb.append("&var-notebook=").append(URLEncoder.encode(id.notebook(), StandardCharsets.UTF_8));
        }
        return URI.create(sb.toString());
    }
}
