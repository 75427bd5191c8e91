package dev.researchmon.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.testkit.LocalPrometheus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What a researcher does in a new Java notebook, step by step, each checked from the rendered page
 * and kept as a screenshot: monitoring on, a Counter, the metrics table and chart, the dashboard,
 * completion, and interrupting a runaway cell from the toolbar. The same script serves any
 * front end a {@link NotebookPage} drives: JupyterLab 4, the classic notebook.
 */
final class NotebookInBrowser {
    static final String KERNEL_DISPLAY_NAME = "Java (research-monitor)";

    private final HeadlessChromium browser;
    private final NotebookPage lab;
    private final LocalPrometheus prometheus;

    NotebookInBrowser(HeadlessChromium browser, NotebookPage lab, LocalPrometheus prometheus) {
        this.browser = browser;
        this.lab = lab;
        this.prometheus = prometheus;
    }

    void opensANewJavaNotebook() throws IOException {
        browser.screenshot("01-launcher");
        lab.newNotebook(KERNEL_DISPLAY_NAME);
        browser.screenshot("02-new-java-notebook");
    }

    void monitoringOn_saysSo() throws IOException {
        NotebookPage.Cell cell = lab.run("%monitoring on");
        browser.screenshot("03-monitoring-on");
        assertTrue(cell.text().matches("(?s)Monitoring (is already )?on.*"), cell.text());
    }

    void counterCell_showsItsValue_andReachesPrometheus() throws Exception {
        NotebookPage.Cell cell = lab.run("import io.prometheus.metrics.core.metrics.Counter; "
                + "Counter clicks = Counter.builder().name(\"browser_clicks\")"
                + ".help(\"Clicks counted in the browser test\").register(); clicks.inc(); clicks.inc(); clicks.get()");
        browser.screenshot("04-counter");
        assertEquals("2.0", cell.text(), "the cell's value, as the page shows it");
        // two scrapes at least, so that the chart has a line to draw
        prometheus.awaitSeries("count_over_time(browser_clicks_total[1m]) >= 2", Duration.ofSeconds(90));
    }

    /**
     * The notebook's name as the server knows it (JupyterLab's tab shows it), on the series the
     * kernel reported: the kernel learnt it from its Jupyter Server 2 session.
     */
    void seriesCarryTheNotebookTheServerOpened() throws Exception {
        String name = lab.notebookName();
        assertTrue(name.endsWith(".ipynb"), name);
        prometheus.awaitSeries("browser_clicks_total{notebook=\"" + name + "\"}", Duration.ofSeconds(60));
    }

    void metricsTable_rendersTheCounter() throws IOException {
        NotebookPage.Cell cell = lab.run("%metrics");
        browser.screenshot("05-metrics-table");
        assertFalse(cell.tables().isEmpty(), "no table rendered: " + cell.text());
        assertTrue(cell.text().contains("browser_clicks"), cell.text());
    }

    void metricsPlot_drawsAChartWithPoints() throws IOException {
        NotebookPage.Cell cell = lab.run("%metrics plot browser_clicks_total --range 2m --step 1s");
        browser.screenshot("06-metrics-plot");
        List<NotebookPage.RenderedSvg> charts = cell.svgs();
        assertEquals(1, charts.size(), "one chart: " + cell.text());
        assertTrue(charts.get(0).renderedWidth() > 0, "the browser did not draw the SVG");
        assertTrue(charts.get(0).seriesPoints() >= 2, charts.get(0).markup());
    }

    void dashboard_renders() throws IOException {
        NotebookPage.Cell cell = lab.run("%dashboard");
        browser.screenshot("07-dashboard");
        assertFalse(cell.outputs().isEmpty(), "%dashboard showed nothing");
        assertFalse(cell.text().isBlank() && cell.svgs().isEmpty(), "%dashboard rendered empty");
        for (NotebookPage.RenderedSvg chart : cell.svgs()) {
            assertTrue(chart.renderedWidth() > 0, "the browser did not draw a dashboard chart");
        }
    }

    void completion_offersToUpperCase() throws IOException {
        lab.type("\"a\".toUpp");
        lab.pressTab();
        String offered = lab.await("completion of \"a\".toUpp", d -> {
            List<String> items = lab.completions();
            String source = lab.activeCell().source();
            // one match is inserted at once, several are offered in the completer
            return items.stream().anyMatch(i -> i.startsWith("toUpperCase"))
                    ? String.join(", ", items)
                    : source.contains("toUpperCase") ? source : null;
        });
        browser.screenshot("08-completion");
        assertTrue(offered.contains("toUpperCase"), offered);
        lab.clearActiveCell();
    }

    void interruptFromToolbar_bringsTheKernelBackToIdle() throws IOException {
        NotebookPage.Cell cell = lab.type("while (true) {}");
        cell.run();
        lab.awaitKernelStatus("busy");
        browser.screenshot("09-runaway-cell");
        lab.interruptFromToolbar();
        lab.awaitKernelStatus("idle");
        cell.awaitFinished();
        browser.screenshot("10-interrupted");
        assertTrue(cell.text().contains("Interrupted"), cell.text());
        NotebookPage.Cell after = lab.run("1 + 1");
        assertEquals("2", after.text(), "the kernel works after the interrupt");
    }
}
