package dev.researchmon.magics.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.TestContext;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.command.DashboardMagic;
import dev.researchmon.magics.command.MetricsMagic;
import dev.researchmon.magics.monitor.MonitoringSession;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.LocalPrometheus;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %metrics query and plot against Debian's Prometheus, which scrapes itself every second. */
class PrometheusQueryIT {
    @TempDir
    static Path dir;

    static LocalPrometheus prometheus;
    static MetricsMagic magic;

    @BeforeAll
    static void startPrometheus() throws Exception {
        int port = FreePort.loopback();
        prometheus = LocalPrometheus.start(
                dir,
                port,
                LocalPrometheus.scrapeConfig(
                        "1s", Map.of("prometheus", List.of("127.0.0.1:" + port), "research", List.of())),
                "--log.level=warn");
        // Two scrapes of itself, so that a range query has a line to draw.
        prometheus.awaitSeries("count_over_time(up{job=\"prometheus\"}[1m]) >= 2", Duration.ofSeconds(40));
        magic = new MetricsMagic(new MonitoringSession(
                Map.of("RESEARCH_MONITOR_PROMETHEUS_URL", prometheus.url().toString()), new PrometheusRegistry()));
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static Display run(String argLine) throws MagicException {
        return magic.execute(
                new MagicCall("metrics", argLine, List.of(argLine.split(" ")), null), new TestContext("k", ""));
    }

    @Test
    void query_showsEachSeriesWithItsValue() throws Exception {
        Display d = run("query up{job=\"prometheus\"}");
        String text = d.data().get("text/plain");
        assertTrue(
                text.contains("up{instance=\"" + prometheus.url().getAuthority() + "\", job=\"prometheus\"}  1"), text);
        assertTrue(d.data().get("text/html").contains("<table>"));
    }

    @Test
    void query_scalarResult_isOneRow() throws Exception {
        String text = run("query scalar(up{job=\"prometheus\"}) * 3").data().get("text/plain");
        assertTrue(text.endsWith("{}      3"), text);
    }

    @Test
    void query_matchingNothing_saysSo() throws Exception {
        String text = run("query up{job=\"nope\"}").data().get("text/plain");
        assertEquals("No series match up{job=\"nope\"} at " + prometheus.url() + ".", text);
    }

    @Test
    void query_badPromql_isPrometheusReasonInOneSentence() {
        var e = assertThrows(MagicException.class, () -> run("query sum(up"));
        assertTrue(e.getMessage().startsWith("Prometheus rejected the query: "), e.getMessage());
        assertTrue(e.getMessage().contains("parse error"), e.getMessage());
    }

    @Test
    void plot_drawsOneLinePerSeriesAsSvg() throws Exception {
        Display d = run("plot up --range 2m --step 1s");
        String svg = d.data().get("image/svg+xml");
        assertTrue(svg.startsWith("<svg"), svg);
        assertTrue(svg.contains("class=\"series\""), svg);
        assertTrue(svg.contains("up{instance=&quot;"), svg);
        assertEquals(svg, d.data().get("text/html"), "inline in HTML too, where JupyterLab's theme reaches it");
        assertTrue(
                d.data().get("text/plain").startsWith("Line chart of 1 series of up over the last 2m:"),
                d.data().get("text/plain"));
    }

    @Test
    void dashboard_drawsWhatPrometheusHas_andEachEmptyPanelSaysWhy() throws Exception {
        String dead = "http://127.0.0.1:" + FreePort.loopback();
        DashboardMagic dashboard = new DashboardMagic(new MonitoringSession(
                Map.of(
                        "RESEARCH_MONITOR_PROMETHEUS_URL",
                        prometheus.url().toString(),
                        "RESEARCH_MONITOR_GRAFANA_URL",
                        dead),
                new PrometheusRegistry()));
        List<String> panels = List.of(
                "Scrape targets", "CPU usage by mode", "GPU temperature", "Cells per second", "Scrape duration");
        Display d = dashboard.execute(new MagicCall("dashboard", "", panels, null), new TestContext("k", "a.ipynb"));
        String text = d.data().get("text/plain");
        assertTrue(text.contains("\nScrape targets: 1"), text);
        assertTrue(
                text.contains("\nCPU usage by mode: No data: Prometheus has no target of job \"node-exporter\" "
                        + "(node-exporter, the host collector)."),
                text);
        assertTrue(
                text.contains("\nGPU temperature: No data: Prometheus has no target of job \"research\" "
                        + "(the metrics sidecar)."),
                text);
        assertTrue(text.contains("\nCells per second: No data: Prometheus has no target of job \"research\""), text);
        assertTrue(text.contains("\nScrape duration: No data yet in the last 1h."), text);
        String html = d.data().get("text/html");
        assertTrue(html.contains("<h3 class=\"rm-row\">Monitoring health</h3>"), html);
        assertTrue(html.contains("data-panel=\"Scrape targets\" data-state=\"data\""), html);
    }
}
