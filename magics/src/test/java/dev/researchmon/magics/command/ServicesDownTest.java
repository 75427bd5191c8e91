package dev.researchmon.magics.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.TestContext;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.monitor.MonitoringSession;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.ManagedProcess;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service that does not answer gets one clear sentence naming its URL, never a stack trace. */
class ServicesDownTest {
    static String deadUrl;

    @TempDir
    Path home;

    @BeforeAll
    static void findAPortNobodyListensOn() {
        deadUrl = "http://127.0.0.1:" + FreePort.loopback();
    }

    private final java.util.List<MonitoringSession> sessions = new java.util.ArrayList<>();

    /** Should a session start a sidecar after all (a wrong test), it is stopped, not left running. */
    @org.junit.jupiter.api.AfterEach
    void stopAnySidecarASessionStarted() {
        sessions.forEach(s ->
                s.startedSidecar().flatMap(st -> ProcessHandle.of(st.pid())).ifPresent(ManagedProcess::stop));
    }

    private MonitoringSession session(Map<String, String> extra) {
        var env = new java.util.HashMap<>(Map.of(
                "RESEARCH_MONITOR_SIDECAR_URL", deadUrl,
                "RESEARCH_MONITOR_PROMETHEUS_URL", deadUrl,
                "RESEARCH_MONITOR_GRAFANA_URL", deadUrl,
                "RESEARCH_MONITOR_HOME", home.toString(),
                "PATH", home.toString()));
        env.putAll(extra);
        MonitoringSession session = new MonitoringSession(env, new PrometheusRegistry());
        sessions.add(session);
        return session;
    }

    private static MagicCall line(String name, String argLine, String... args) {
        return new MagicCall(name, argLine, List.of(args), null);
    }

    private static void assertOneSentence(MagicException e, String mentions) {
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }

    @Test
    void metricsQuery_prometheusDown_saysSoWithItsUrl() {
        var e = assertThrows(
                MagicException.class,
                () -> new MetricsMagic(session(Map.of()))
                        .execute(line("metrics", "query up"), new TestContext("k", "")));
        assertOneSentence(e, "Prometheus does not answer at " + deadUrl);
    }

    @Test
    void metricsPlot_prometheusDown_saysSoWithItsUrl() {
        var e = assertThrows(
                MagicException.class,
                () -> new MetricsMagic(session(Map.of()))
                        .execute(line("metrics", "plot up"), new TestContext("k", "")));
        assertOneSentence(e, "Prometheus does not answer at " + deadUrl);
    }

    @Test
    void gpu_sidecarDown_saysSoWithItsUrl() {
        var e = assertThrows(
                MagicException.class,
                () -> new GpuMagic(session(Map.of())).execute(line("gpu", ""), new TestContext("k", "")));
        assertOneSentence(e, "The sidecar does not answer at " + deadUrl);
    }

    @Test
    void monitoringOn_noSidecarAndNoneToStart_saysHowToGetOne() {
        TestContext ctx = new TestContext("k", "");
        var e = assertThrows(
                MagicException.class,
                () -> new MonitoringMagic(session(Map.of())).execute(line("monitoring", "on", "on"), ctx));
        assertOneSentence(e, "RESEARCH_MONITOR_SIDECAR_JAR");
        assertTrue(ctx.listeners.isEmpty(), "no cell listener is left behind by a failed %monitoring on");
    }

    @Test
    void monitoringOn_sidecarJarMissing_namesTheFile() {
        Path missing = home.resolve("no-such-sidecar.jar");
        var e = assertThrows(
                MagicException.class,
                () -> new MonitoringMagic(session(Map.of("RESEARCH_MONITOR_SIDECAR_JAR", missing.toString())))
                        .execute(line("monitoring", "on", "on"), new TestContext("k", "")));
        assertOneSentence(e, missing.toString());
    }

    @Test
    void monitoringStatus_everythingDown_isATableSayingSo() throws Exception {
        Display d = new MonitoringMagic(session(Map.of()))
                .execute(line("monitoring", "status", "status"), new TestContext("k", "nb.ipynb"));
        String text = d.data().get("text/plain");
        assertTrue(text.contains("monitoring   off"), text);
        assertEquals(3, text.split("does not answer", -1).length - 1, text);
        assertTrue(d.data().get("text/html").contains("<table>"));
    }

    @Test
    void dashboard_prometheusAndGrafanaDown_eachPanelSaysPrometheusDoesNotAnswer() throws Exception {
        Display d = new DashboardMagic(session(Map.of()))
                .execute(
                        new MagicCall(
                                "dashboard",
                                "\"Kernel memory\" \"Cell errors in range\"",
                                List.of("Kernel memory", "Cell errors in range"),
                                null),
                        new TestContext("k", "a b.ipynb"));
        String text = d.data().get("text/plain");
        assertTrue(
                text.startsWith(
                        "Grafana does not answer at " + deadUrl + "; the panels below are drawn from Prometheus."),
                text);
        String down = "No data: Prometheus does not answer at " + deadUrl
                + " (bin/environment-manager --enable-monitoring starts it).";
        assertTrue(text.contains("\nKernel memory: " + down), text);
        assertTrue(text.contains("\nCell errors in range: " + down), text);
        String html = d.data().get("text/html");
        assertTrue(html.contains("data-panel=\"Kernel memory\" data-state=\"empty\""), html);
        assertFalse(html.contains("/d/research-environment/"), "no link to a Grafana that does not answer");
    }

    @Test
    void dashboard_grafanaAnswering_givesItsFilteredLinkFirst() throws Exception {
        // Grafana is not packaged for this machine: its health endpoint is all %dashboard asks of it
        com.sun.net.httpserver.HttpServer grafana =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        grafana.createContext("/api/health", exchange -> {
            byte[] body = "{\"database\": \"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        grafana.start();
        try {
            String url = "http://127.0.0.1:" + grafana.getAddress().getPort();
            Display d = new DashboardMagic(session(Map.of("RESEARCH_MONITOR_GRAFANA_URL", url)))
                    .execute(
                            new MagicCall("dashboard", "GPUs --range 6h", List.of("GPUs", "--range", "6h"), null),
                            new TestContext("k", "a b.ipynb"));
            String link = url + "/d/research-environment/?orgId=1&from=now-6h&to=now&var-notebook=a+b.ipynb";
            assertTrue(
                    d.data().get("text/plain").startsWith("Research dashboard in Grafana: " + link + "\n"),
                    d.data().get("text/plain"));
            String html = d.data().get("text/html");
            int at = html.indexOf("<a href=\"" + link.replace("&", "&amp;") + "\"");
            assertTrue(at >= 0 && at < html.indexOf("<figure"), html);
        } finally {
            grafana.stop(0);
        }
    }

    @Test
    void dashboardLink_filtersToThisNotebookOverTheRange() throws Exception {
        var link = DashboardMagic.link(
                java.net.URI.create("http://g:3000"),
                new TestContext("k", "a b.ipynb").identity(),
                DashboardArgs.parse(List.of("--range", "6h")));
        assertEquals(
                "http://g:3000/d/research-environment/?orgId=1&from=now-6h&to=now&var-notebook=a+b.ipynb",
                link.toString());
        var all = DashboardMagic.link(
                java.net.URI.create("http://g:3000"),
                new TestContext("k", "a b.ipynb").identity(),
                DashboardArgs.parse(List.of("--notebook", "all")));
        assertFalse(all.toString().contains("var-notebook"), all.toString());
    }
}
